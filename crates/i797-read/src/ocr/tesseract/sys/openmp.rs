//! Keeps Tesseract single-threaded inside each worker thread.
//!
//! Debian's libtesseract is built with OpenMP, and its LSTM asks for 4 threads per line
//! (`#pragma omp parallel for num_threads(4)`): on a 2-core machine already running one engine per
//! core, that oversubscribes the CPU and makes every page several times slower. The `num_threads`
//! clause overrides `omp_set_num_threads`, and libgomp reads `OMP_THREAD_LIMIT` only when it is
//! loaded, before `main`. What does work after start-up is `omp_set_max_active_levels(0)`: with
//! no active level allowed, every parallel region runs on the thread that meets it. libgomp keeps
//! this setting per thread (an implicit-task ICV since GCC 11), so it must be set on each thread
//! that runs an engine.
//!
//! The function is looked up at run time rather than linked: a Tesseract built without OpenMP
//! (or against another runtime) simply lacks it, and then there is nothing to limit.

use std::cell::Cell;
use std::os::raw::c_int;
use std::sync::OnceLock;

type SetMaxActiveLevels = unsafe extern "C" fn(c_int);

fn set_max_active_levels() -> Option<SetMaxActiveLevels> {
    static FUNCTION: OnceLock<Option<SetMaxActiveLevels>> = OnceLock::new();
    *FUNCTION.get_or_init(|| {
        // SAFETY: dlsym with RTLD_DEFAULT searches the libraries already loaded (libgomp comes in
        // with libtesseract) and returns null when the symbol is absent; the name is NUL-terminated.
        let symbol =
            unsafe { libc::dlsym(libc::RTLD_DEFAULT, c"omp_set_max_active_levels".as_ptr()) };
        // SAFETY: when present, the symbol is libgomp's `void omp_set_max_active_levels(int)`,
        // whose signature the OpenMP specification fixes.
        (!symbol.is_null()).then(|| unsafe {
            std::mem::transmute::<*mut libc::c_void, SetMaxActiveLevels>(symbol)
        })
    })
}

thread_local! {
    static LIMITED: Cell<bool> = const { Cell::new(false) };
}

/// Makes OpenMP parallel regions that start on the calling thread run on it alone. Cheap after
/// the first call on a thread. Returns whether an OpenMP runtime was found.
pub fn limit_current_thread() -> bool {
    let Some(function) = set_max_active_levels() else {
        return false;
    };
    if !LIMITED.get() {
        // SAFETY: a plain libgomp call that sets this thread's ICV.
        unsafe { function(0) };
        LIMITED.set(true);
    }
    true
}
