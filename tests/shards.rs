//! `scan --shard K/N` and `merge`: a full set merges to exactly what one run writes, in every
//! format and CSV option; a set that is incomplete, repeated, unfinished, changed or mixed is
//! refused with exit code 2, a message naming the problem, and no merged output.

mod common;

use std::path::Path;

use common::*;

/// Small notices spread over folders, with a broken file now and then.
fn notices(dir: &Path, count: usize) {
    for n in 0..count {
        put(
            dir,
            &format!("batch/{:02}/notice-{n:03}.pdf", n % 5),
            &receipt_notice_pdf(
                &format!("EAC21900{:05}", 10000 + n),
                "I130 - PETITION FOR ALIEN RELATIVE",
                "RIVERA, ANA",
            ),
        );
        if n % 9 == 0 {
            put(
                dir,
                &format!("batch/broken-{n:03}.pdf"),
                b"%PDF-1.4\n1 0 obj <<",
            );
        }
    }
}

/// Runs `scan batch --shard K/N -o NAME extra…` and returns NAME.
fn shard(dir: &Path, k: u64, n: u64, name: &str, extra: &[&str]) -> String {
    let spec = format!("{k}/{n}");
    let mut args = vec!["scan", "batch", "--shard", &spec, "-o", name];
    args.extend_from_slice(extra);
    let output = run_in(dir, &args);
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&output)
    );
    name.to_string()
}

fn merge(dir: &Path, shards: &[String]) -> std::process::Output {
    let mut args = vec!["merge", "merged.out"];
    args.extend(shards.iter().map(String::as_str));
    run_in(dir, &args)
}

/// Merging `shards` fails with exit 2, a message containing `why`, and no merged file.
fn refused(dir: &Path, shards: &[String], why: &str) {
    let _ = std::fs::remove_file(dir.join("merged.out"));
    let output = merge(dir, shards);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{shards:?}: {}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains(why),
        "{shards:?}: {}",
        stderr(&output)
    );
    assert!(!dir.join("merged.out").exists(), "{shards:?}");
}

#[test]
fn a_full_set_merges_to_exactly_one_runs_output_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    notices(dir.path(), 30);
    for (name, extra) in [
        ("csv", vec![]),
        ("bom.csv", vec!["--bom"]),
        ("raw.csv", vec!["--no-formula-guard"]),
        ("jsonl", vec!["--format", "jsonl"]),
    ] {
        let single = format!("all.{name}");
        let mut args = vec!["scan", "batch", "-o", single.as_str()];
        args.extend_from_slice(&extra);
        run_in(dir.path(), &args);
        // Given in any order.
        let shards: Vec<String> = [2, 0, 1]
            .iter()
            .map(|&k| shard(dir.path(), k, 3, &format!("shard-{k}.{name}"), &extra))
            .collect();
        let merged = merge(dir.path(), &shards);
        assert_eq!(merged.status.code(), Some(0), "{name}: {}", stderr(&merged));
        let merged = std::fs::read(dir.path().join("merged.out")).unwrap();
        assert_eq!(
            merged,
            std::fs::read(dir.path().join(&single)).unwrap(),
            "{name}"
        );
        assert!(merged.len() > 1000, "{name}: the set holds rows");
    }
}

#[test]
fn a_missing_or_repeated_shard_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    notices(dir.path(), 20);
    let all: Vec<String> = (0..3)
        .map(|k| shard(dir.path(), k, 3, &format!("s{k}.csv"), &[]))
        .collect();
    refused(dir.path(), &all[..2], "shard 2/3 is missing");
    refused(dir.path(), &[all[1].clone()], "shards 0/3, 2/3 are missing");
    let repeated = [
        all[0].clone(),
        all[1].clone(),
        all[1].clone(),
        all[2].clone(),
    ];
    refused(dir.path(), &repeated, "shard 1/3 is given twice");
    // The same shard under two names is still one shard.
    std::fs::copy(dir.path().join("s1.csv"), dir.path().join("copy.csv")).unwrap();
    std::fs::copy(
        dir.path().join("s1.csv.i797-shard"),
        dir.path().join("copy.csv.i797-shard"),
    )
    .unwrap();
    let copied = [all[0].clone(), all[1].clone(), "copy.csv".to_string()];
    refused(dir.path(), &copied, "given twice");
}

#[test]
fn shards_of_another_count_or_other_settings_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    notices(dir.path(), 20);
    let halves: Vec<String> = (0..2)
        .map(|k| shard(dir.path(), k, 2, &format!("half{k}.csv"), &[]))
        .collect();
    let thirds: Vec<String> = (0..3)
        .map(|k| shard(dir.path(), k, 3, &format!("third{k}.csv"), &[]))
        .collect();
    let mixed = [halves[0].clone(), thirds[1].clone(), thirds[2].clone()];
    refused(dir.path(), &mixed, "split different ways");
    let bom = shard(dir.path(), 1, 2, "half1-bom.csv", &["--bom"]);
    refused(dir.path(), &[halves[0].clone(), bom], "other settings");
    let limited = shard(
        dir.path(),
        1,
        2,
        "half1-limit.csv",
        &["--file-time-limit", "60"],
    );
    refused(
        dir.path(),
        &[halves[0].clone(), limited],
        "file_time_limit_seconds",
    );
    // Other paths: another run's split, even of the same files.
    let other_paths = {
        let output = run_in(
            dir.path(),
            &["scan", "./batch", "--shard", "1/2", "-o", "half1-dot.csv"],
        );
        assert!(output.status.code().is_some_and(|c| c <= 1));
        "half1-dot.csv".to_string()
    };
    refused(dir.path(), &[halves[0].clone(), other_paths], "paths");
    let jsonl = shard(dir.path(), 1, 2, "half1.jsonl", &["--format", "jsonl"]);
    refused(dir.path(), &[halves[0].clone(), jsonl], "format");
    // The shards agree with each other but not with --format.
    let output = run_in(
        dir.path(),
        &[
            "merge", "m.jsonl", "--format", "jsonl", &halves[0], &halves[1],
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--format jsonl was given but the shards are csv"));
}

#[test]
fn an_unfinished_changed_or_unmanifested_shard_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    notices(dir.path(), 20);
    let halves: Vec<String> = (0..2)
        .map(|k| shard(dir.path(), k, 2, &format!("half{k}.csv"), &[]))
        .collect();
    let manifest = dir.path().join("half1.csv.i797-shard");
    let finished = std::fs::read_to_string(&manifest).unwrap();
    assert!(finished.contains("\"finished\": true"), "{finished}");

    // A run stopped before its end leaves the manifest it wrote at the start.
    std::fs::write(
        &manifest,
        finished.replace("\"finished\": true", "\"finished\": false"),
    )
    .unwrap();
    refused(dir.path(), &halves, "half1.csv (shard 1/2) did not finish");
    std::fs::write(&manifest, &finished).unwrap();

    // Rows added (or lost) after the run finished.
    let output = dir.path().join("half1.csv");
    let rows = std::fs::read(&output).unwrap();
    std::fs::write(&output, &rows[..rows.len() - 10]).unwrap();
    refused(dir.path(), &halves, "half1.csv changed after its run");
    std::fs::write(&output, &rows).unwrap();

    // An output with no manifest: written without --shard, or its manifest lost.
    std::fs::remove_file(&manifest).unwrap();
    refused(dir.path(), &halves, "half1.csv has no shard manifest");

    // The merged output may not overwrite a shard (or a user's document).
    let onto_shard = run_in(dir.path(), &["merge", "half0.csv", &halves[0], &halves[1]]);
    assert_eq!(onto_shard.status.code(), Some(2));
    assert!(
        stderr(&onto_shard).contains("is the shard output"),
        "{}",
        stderr(&onto_shard)
    );
    put(
        dir.path(),
        "notice.pdf",
        &receipt_notice_pdf("EAC2190012345", "I130", "DOE, JO"),
    );
    let onto_pdf = run_in(dir.path(), &["merge", "notice.pdf", &halves[0], &halves[1]]);
    assert_eq!(onto_pdf.status.code(), Some(2));
    assert!(
        std::fs::read(dir.path().join("notice.pdf"))
            .unwrap()
            .starts_with(b"%PDF")
    );

    // Restored, the set merges.
    std::fs::write(&manifest, &finished).unwrap();
    assert_eq!(merge(dir.path(), &halves).status.code(), Some(0));
}

#[test]
fn a_killed_shard_run_leaves_an_unfinished_manifest_and_resume_finishes_it() {
    let dir = tempfile::tempdir().unwrap();
    notices(dir.path(), 300);
    let full = shard(dir.path(), 0, 2, "full0.csv", &[]);
    let other = shard(dir.path(), 1, 2, "half1.csv", &[]);
    let full_bytes = std::fs::read(dir.path().join(&full)).unwrap();
    let mut child = i797()
        .current_dir(dir.path())
        .args([
            "scan",
            "batch",
            "--shard",
            "0/2",
            "--jobs",
            "1",
            "-o",
            "half0.csv",
        ])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill once rows have started to arrive, well before the end.
    loop {
        let size = std::fs::metadata(dir.path().join("half0.csv")).map_or(0, |m| m.len());
        if size as usize >= full_bytes.len() / 4 || child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_micros(200));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let left = std::fs::read(dir.path().join("half0.csv")).unwrap();
    assert!(left.len() < full_bytes.len(), "the kill must land mid-run");
    let halves = ["half0.csv".to_string(), other.clone()];
    refused(dir.path(), &halves, "did not finish");
    let resumed = run_in(
        dir.path(),
        &[
            "scan",
            "batch",
            "--shard",
            "0/2",
            "-o",
            "half0.csv",
            "--resume",
        ],
    );
    assert!(resumed.status.code().is_some_and(|c| c <= 1));
    assert_eq!(merge(dir.path(), &halves).status.code(), Some(0));
    let single = run_in(dir.path(), &["scan", "batch"]);
    assert_eq!(
        std::fs::read(dir.path().join("merged.out")).unwrap(),
        single.stdout
    );
}

#[test]
fn the_manifest_is_not_read_as_an_input_and_a_plain_run_removes_a_stale_one() {
    let dir = tempfile::tempdir().unwrap();
    notices(dir.path(), 6);
    // The output (and so its manifest) inside the scanned folder.
    shard(dir.path(), 0, 1, "batch/out.csv", &[]);
    let again = run_in(
        dir.path(),
        &["scan", "batch", "--shard", "0/1", "-o", "batch/out.csv"],
    );
    let rows = csv_rows(&std::fs::read_to_string(dir.path().join("batch/out.csv")).unwrap());
    assert!(
        rows.iter().all(|r| !r["file"].contains("out.csv")),
        "{rows:?}"
    );
    assert!(stderr(&again).contains("out.csv.i797-shard: it is this run's own output"));
    run_in(dir.path(), &["scan", "batch", "-o", "batch/out.csv"]);
    assert!(!dir.path().join("batch/out.csv.i797-shard").exists());
}

/// Shards written as a workbook or a database carry a manifest saying so (a person may still use
/// them one by one), and merge refuses them by that manifest, with no --format given.
#[test]
fn workbook_and_database_shards_are_refused_by_their_manifest() {
    let dir = tempfile::tempdir().unwrap();
    notices(dir.path(), 6);
    for format in ["xlsx", "sqlite"] {
        let shards: Vec<String> = (0..2)
            .map(|k| {
                let name = format!("{format}-{k}.{format}");
                shard(dir.path(), k, 2, &name, &["--format", format])
            })
            .collect();
        let manifest =
            std::fs::read_to_string(dir.path().join(format!("{}.i797-shard", shards[0]))).unwrap();
        let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
        assert_eq!(manifest["settings"]["format"], format);
        assert_eq!(manifest["finished"], true);
        refused(
            dir.path(),
            &shards,
            "merge joins csv or jsonl shard outputs",
        );
    }
}

/// csv shards merged with `--format sqlite` or `xlsx` give the database or workbook one run in
/// that format writes: the same rows, files and case tables, the same sheets.
#[test]
fn csv_shards_merge_into_the_database_or_workbook_one_run_writes() {
    use calamine::Reader;
    let dir = tempfile::tempdir().unwrap();
    notices(dir.path(), 12);
    let shards: Vec<String> = (0..3)
        .map(|k| shard(dir.path(), k, 3, &format!("shard-{k}.csv"), &[]))
        .collect();
    for format in ["sqlite", "xlsx"] {
        let single = format!("single.{format}");
        let run = run_in(
            dir.path(),
            &["scan", "batch", "-o", &single, "--format", format],
        );
        assert!(
            run.status.code().is_some_and(|c| c <= 1),
            "{}",
            stderr(&run)
        );
        let merged = format!("merged.{format}");
        let mut args = vec!["merge", merged.as_str(), "--format", format];
        args.extend(shards.iter().map(String::as_str));
        let run = run_in(dir.path(), &args);
        assert_eq!(run.status.code(), Some(0), "{format}: {}", stderr(&run));
        if format == "sqlite" {
            let dump = |name: &str| {
                let db = rusqlite::Connection::open(dir.path().join(name)).unwrap();
                let mut all = Vec::new();
                for table in ["files", "rows", "cases", "case_notices", "case_links"] {
                    let mut statement = db
                        .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
                        .unwrap();
                    let columns = statement.column_count();
                    let rows: Vec<Vec<rusqlite::types::Value>> = statement
                        .query_map([], |row| (0..columns).map(|i| row.get(i)).collect())
                        .unwrap()
                        .collect::<Result<_, _>>()
                        .unwrap();
                    all.push((table, rows));
                }
                all
            };
            let single = dump(&single);
            assert!(single[2].1.len() >= 9, "cases: {:?}", single[2]);
            assert_eq!(dump(&merged), single);
        } else {
            let sheets = |name: &str| {
                let mut book: calamine::Xlsx<_> =
                    calamine::open_workbook(dir.path().join(name)).unwrap();
                book.sheet_names()
                    .into_iter()
                    .map(|sheet| {
                        let range = book.worksheet_range(&sheet).unwrap();
                        (sheet, range.rows().map(|r| r.to_vec()).collect::<Vec<_>>())
                    })
                    .collect::<Vec<_>>()
            };
            let single = sheets(&single);
            assert_eq!(single.len(), 2, "rows and cases");
            assert_eq!(sheets(&merged), single);
        }
    }
}

/// A name that really starts with `'` and a formula character (no reader gives one today; a
/// stray mark read before a name could) merges as itself with the guard on or off: merge undoes
/// the guard only on guarded shards, and the guard can be undone exactly. The shard rows are
/// edited as the reader would have written them, their manifests updated to match.
#[test]
fn a_value_that_starts_with_an_apostrophe_merges_unaltered_with_the_guard_on_or_off() {
    let dir = tempfile::tempdir().unwrap();
    notices(dir.path(), 6);
    put(
        dir.path(),
        "batch/quoted.pdf",
        &receipt_notice_pdf(
            "EAC2190099999",
            "I130 - PETITION FOR ALIEN RELATIVE",
            "QUOTED, ANA",
        ),
    );
    let value = "'-QUOTED, ANA";
    for (name, extra) in [("csv", vec![]), ("raw.csv", vec!["--no-formula-guard"])] {
        let cell = if extra.is_empty() {
            i797::output::guard_cell(value)
        } else {
            value.to_string()
        };
        // As the reader would have written it: the cell with the name, in CSV quoting.
        let edit = |path: &Path| {
            let text = std::fs::read_to_string(path).unwrap();
            let edited = text.replace(",\"QUOTED, ANA\",", &format!(",\"{cell}\","));
            std::fs::write(path, &edited).unwrap();
            text != edited
        };
        let single = format!("all.{name}");
        run_in(dir.path(), &{
            let mut args = vec!["scan", "batch", "-o", single.as_str()];
            args.extend_from_slice(&extra);
            args
        });
        assert!(
            edit(&dir.path().join(&single)),
            "{name}: the name is in the output"
        );
        let shards: Vec<String> = (0..2)
            .map(|k| shard(dir.path(), k, 2, &format!("shard-{k}.{name}"), &extra))
            .collect();
        let edited: Vec<&String> = shards
            .iter()
            .filter(|shard| edit(&dir.path().join(shard)))
            .collect();
        assert_eq!(edited.len(), 1, "{name}");
        let manifest_path = dir.path().join(format!("{}.i797-shard", edited[0]));
        let mut manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
        let digest: String = {
            use sha2::Digest;
            sha2::Sha256::digest(std::fs::read(dir.path().join(edited[0])).unwrap())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        };
        manifest["output_sha256"] = digest.into();
        std::fs::write(&manifest_path, manifest.to_string()).unwrap();

        let mut args = vec!["merge", "merged.out", "--cases", "cases.out"];
        args.extend(shards.iter().map(String::as_str));
        let merged = run_in(dir.path(), &args);
        assert_eq!(merged.status.code(), Some(0), "{name}: {}", stderr(&merged));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("merged.out")).unwrap(),
            std::fs::read_to_string(dir.path().join(&single)).unwrap(),
            "{name}: the merged rows are the rows, the edited cell as it was"
        );
        let cases = csv_rows(&std::fs::read_to_string(dir.path().join("cases.out")).unwrap());
        let case = cases
            .iter()
            .find(|c| c["case_number"] == "EAC2190099999")
            .unwrap();
        assert_eq!(
            case["applicant"], cell,
            "{name}: the case view carries the value"
        );
    }
}
