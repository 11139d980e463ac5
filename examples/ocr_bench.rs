//! Measures the OCR stage: reads the pages of the given image files with N worker threads and
//! reports pages per second, CPU time, the most threads the process had, and peak memory.
//!
//! cargo run --release --example ocr_bench -- [--workers N] [--repeat K] [--no-openmp-limit]
//!     [--whole-page] [--read-all] [--psm 3|4|6] FILE…
//!
//! `--no-openmp-limit` leaves OpenMP at Tesseract's default (the "before" of the fix);
//! `--whole-page` reads each page in one go instead of the field region first; `--read-all` reads
//! the rest of the page even when the field region already holds a receipt number.
//! See bench/ocr.md for the numbers and the commands that produced them.

#![allow(clippy::print_stdout)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use regex::Regex;

use i797_core::PageText;
use i797_read::ocr::RecognizerSource;
use i797_read::ocr::tesseract::{Segmentation, TesseractSource, prepare_worker_thread};
use i797_read::sniff::sniff;
use i797_read::source::{self, PageContent, PageImage};

struct Options {
    workers: usize,
    repeat: usize,
    limit_openmp: bool,
    whole_page: bool,
    read_all: bool,
    print: bool,
    segmentation: Segmentation,
    files: Vec<String>,
}

fn options() -> Options {
    let mut options = Options {
        workers: 2,
        repeat: 1,
        limit_openmp: true,
        whole_page: false,
        read_all: false,
        print: false,
        segmentation: Segmentation::Auto,
        files: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = || {
            args.next()
                .and_then(|v| v.parse::<usize>().ok())
                .expect("a number")
        };
        match arg.as_str() {
            "--workers" => options.workers = number(),
            "--repeat" => options.repeat = number(),
            "--no-openmp-limit" => options.limit_openmp = false,
            "--whole-page" => options.whole_page = true,
            "--read-all" => options.read_all = true,
            "--print" => options.print = true,
            "--psm" => {
                options.segmentation = match number() {
                    3 => Segmentation::Auto,
                    4 => Segmentation::SingleColumn,
                    6 => Segmentation::SingleBlock,
                    other => panic!("psm {other} not offered"),
                }
            }
            _ => options.files.push(arg),
        }
    }
    options
}

fn pages(files: &[String]) -> Vec<(String, usize, PageImage)> {
    let mut pages = Vec::new();
    for file in files {
        let bytes: Arc<[u8]> = std::fs::read(file).expect("readable file").into();
        let document = source::open(sniff(&bytes), bytes).expect("an image file");
        for index in 0..document.page_count() {
            if let Ok(PageContent::Image(image)) = document.page(index) {
                pages.push((file.clone(), index + 1, image));
            }
        }
    }
    pages
}

fn cpu_seconds() -> f64 {
    // SAFETY: getrusage fills the struct we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

fn peak_rss_mib() -> f64 {
    // SAFETY: as above.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    usage.ru_maxrss as f64 / 1024.0
}

fn thread_count() -> usize {
    std::fs::read_dir("/proc/self/task").map_or(0, |d| d.count())
}

fn main() {
    let options = options();
    let mut source = TesseractSource::new(None, "eng").expect("Tesseract with English data");
    source = source.with_segmentation(options.segmentation);
    if !options.limit_openmp {
        source = source.without_openmp_limit();
    }
    if options.whole_page {
        source = source.whole_pages();
    }
    let pages = pages(&options.files);
    let work: Vec<&(String, usize, PageImage)> =
        (0..options.repeat).flat_map(|_| pages.iter()).collect();
    let limit = options.limit_openmp;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.workers)
        .start_handler(move |_| {
            if limit {
                prepare_worker_thread();
            }
        })
        .build()
        .expect("worker threads");

    let receipt = Regex::new(r"\b[A-Z]{3}[0-9]{10}\b").expect("regex");
    let (read_all, print) = (options.read_all, options.print);
    let sufficed = AtomicUsize::new(0);
    let enough = |text: &PageText| {
        let enough = !read_all && receipt.is_match(&text.text);
        sufficed.fetch_add(usize::from(enough), Ordering::Relaxed);
        enough
    };
    let most_threads = Arc::new(AtomicUsize::new(thread_count()));
    let running = Arc::new(AtomicBool::new(true));
    let watcher = {
        let (most, running) = (Arc::clone(&most_threads), Arc::clone(&running));
        std::thread::spawn(move || {
            while running.load(Ordering::Relaxed) {
                most.fetch_max(thread_count(), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    };
    let cpu_before = cpu_seconds();
    let started = Instant::now();
    let results: Vec<String> = pool.install(|| {
        work.par_iter()
            .map(|(file, page, image)| {
                let began = Instant::now();
                let outcome = source.with_recognizer(|ocr| ocr.read(image, &enough));
                match outcome {
                    Ok(Ok(read)) => {
                        if print {
                            println!("==== {file} p{page}\n{}", read.text.text);
                        }
                        let found = receipt
                            .find(&read.text.text)
                            .map_or("-", |m| m.as_str())
                            .to_string();
                        format!(
                            "{file} p{page}: {:.2} s, turned {}, {} lines, receipt {found}",
                            began.elapsed().as_secs_f64(),
                            read.turned,
                            read.text.text.lines().count()
                        )
                    }
                    Ok(Err(error)) | Err(error) => format!("{file} p{page}: error: {error}"),
                }
            })
            .collect()
    });
    let wall = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_before;
    running.store(false, Ordering::Relaxed);
    watcher.join().expect("watcher");
    for line in results.iter().take(pages.len()) {
        println!("{line}");
    }
    println!(
        "{} pages ({} ended after the field region), {} workers, openmp limit {}, whole page {}, read all {}, {:?}: {:.2} s wall, {:.2} pages/s, {:.2} CPU s ({:.2} per page), max threads {}, peak RSS {:.0} MiB",
        work.len(),
        sufficed.load(Ordering::Relaxed),
        options.workers,
        options.limit_openmp,
        options.whole_page,
        options.read_all,
        options.segmentation,
        wall,
        work.len() as f64 / wall,
        cpu,
        cpu / work.len() as f64,
        most_threads.load(Ordering::Relaxed),
        peak_rss_mib()
    );
    drop(source);
}
