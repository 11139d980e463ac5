//! `--format xlsx` and `--format sqlite` end to end: the binary writes them from text-PDF notices;
//! a reader crate checks the workbook's values and cell types, LibreOffice (when installed)
//! converts it back to CSV, and the README's example queries run against the database.
// Helpers fail the test on any unexpected error, like the tests themselves.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::*;
use i797::record::COLUMNS;

const ACCOUNT: &str = "043889511833";

/// A receipt notice that also prints an online account number with a leading zero.
fn notice_with_account(receipt: &str) -> Vec<u8> {
    NoticePdf {
        case_type: "I485 - APPLICATION TO REGISTER",
        applicant: "NUNEZ, JOSE",
        extra_line: Some("USCIS Online Account Number: 043889511833"),
        ..NoticePdf::receipt(receipt)
    }
    .pdf()
}

/// Two client folders: accents in names, a file name a spreadsheet would run as a formula, the
/// same scan twice, three notices of one case, a number to review, and a file that is no notice.
/// The receipt numbers are of fiscal year 2024, as the notices' 2024 dates must be to be kept.
fn client_folders(dir: &Path) {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/text/Notificación de recibo – García.pdf");
    put(
        dir,
        "clients/García/Notificación de recibo – García.pdf",
        &std::fs::read(sample).unwrap(),
    );
    put(
        dir,
        "clients/García/account.pdf",
        &notice_with_account("MSC2490054321"),
    );
    let intake = receipt_notice_pdf(
        "EAC2490012345",
        "I130 - PETITION FOR ALIEN RELATIVE",
        "RIVERA, ANA",
    );
    put(dir, "clients/ana/-Gonzalez intake.pdf", &intake);
    put(dir, "clients/ana/copy of intake.pdf", &intake);
    put(
        dir,
        "clients/ana/second notice.pdf",
        &receipt_notice_pdf(
            "EAC2490012345",
            "I130 - PETITION FOR ALIEN RELATIVE",
            "RIVERA, ANA MARIA",
        ),
    );
    put(
        dir,
        "clients/ana/unsure.pdf",
        &text_pdf(&[vec![vec![(40.0, "Please see JAK2015601004 for details.")]]]),
    );
    put(
        dir,
        "clients/notes.txt",
        b"call the client about biometrics\n",
    );
    // An NVC letter quoting its petition's receipt, and that petition's receipt and approval.
    let letter = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/text/nvc-welcome-letter-kng-receipt.pdf");
    put(
        dir,
        "clients/torresdal/nvc letter.pdf",
        &std::fs::read(letter).unwrap(),
    );
    put(
        dir,
        "clients/torresdal/petition receipt.pdf",
        &NoticePdf::receipt(PETITION).pdf(),
    );
    put(
        dir,
        "clients/torresdal/petition approval.pdf",
        &NoticePdf {
            form: "I-797",
            notice_type: "Approval Notice",
            notice_date: "09/10/2019".into(),
            ..NoticePdf::receipt(PETITION)
        }
        .pdf(),
    );
}

/// The NVC case number on `samples/text/nvc-welcome-letter-kng-receipt.pdf`, and the USCIS
/// receipt it quotes.
const NVC_CASE: &str = "KNG2021560032";
const PETITION: &str = "EAC1925972455";

/// The CSV a plain run writes, formula guard removed: the values every format must carry.
fn reference_rows(dir: &Path) -> Vec<BTreeMap<String, String>> {
    let output = run_in(dir, &["scan", "clients", "--jobs", "2"]);
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&output)
    );
    let mut rows = csv_rows(&stdout(&output));
    for row in &mut rows {
        for value in row.values_mut() {
            *value = i797::output::unguard_cell(value);
        }
    }
    // The inputs must hold what the checks below look for.
    let any = |column: &str, value: &str| rows.iter().any(|r| r[column] == value);
    assert!(any("account_number", ACCOUNT), "{rows:#?}");
    assert!(any("file", "clients/ana/-Gonzalez intake.pdf"));
    assert!(any("needs_review", "true"));
    assert!(any("status", "skipped"));
    rows
}

fn scan_to(dir: &Path, output: &str, format: &str) {
    let run = run_in(
        dir,
        &[
            "scan", "clients", "--jobs", "2", "-q", "-o", output, "--format", format,
        ],
    );
    assert!(
        run.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&run)
    );
}

/// A workbook cell as the CSV shows the same value.
fn as_csv_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Float(number) if number.fract() == 0.0 => format!("{number}"),
        Data::DateTime(date) => {
            // Excel's day 1 is 1900-01-01 (and it counts 1900-02-29, so real dates count from
            // 1899-12-30).
            let days = date.as_f64() as i64;
            civil_from_days(days - 25569)
        }
        other => panic!("unexpected cell {other:?}"),
    }
}

/// `YYYY-MM-DD` of a day count from 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The CSV value as the workbook shows it: yes/no as TRUE/FALSE.
fn as_workbook_text(column: &str, value: &str) -> String {
    match (column, value) {
        ("needs_review", "true") => "TRUE".to_string(),
        ("needs_review", "false") => "FALSE".to_string(),
        _ => value.to_string(),
    }
}

#[test]
fn the_workbook_holds_every_csv_value_with_text_numbers_and_date_cells() {
    let dir = tempfile::tempdir().unwrap();
    client_folders(dir.path());
    let expected = reference_rows(dir.path());
    scan_to(dir.path(), "out.xlsx", "xlsx");

    let mut workbook: Xlsx<_> = open_workbook(dir.path().join("out.xlsx")).unwrap();
    let range = workbook.worksheet_range("rows").unwrap();
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(as_csv_text).collect();
    assert_eq!(header, COLUMNS);
    let mut dates = 0;
    for (line, (cells, want)) in rows.zip(&expected).enumerate() {
        for (column, cell) in COLUMNS.iter().zip(cells) {
            let shown = as_csv_text(cell);
            assert_eq!(
                shown,
                as_workbook_text(column, &want[*column]),
                "row {line} {column}"
            );
            match *column {
                // Text cells, so a spreadsheet keeps leading zeros and runs nothing.
                "file" | "account_number" | "a_number" | "receipt_number" | "sha256"
                    if !shown.is_empty() =>
                {
                    assert!(matches!(cell, Data::String(_)), "{column}: {cell:?}");
                }
                "notice_date" | "received_date" if !shown.is_empty() => {
                    assert!(
                        matches!(cell, Data::DateTime(d) if d.is_datetime()),
                        "{cell:?}"
                    );
                    dates += 1;
                }
                _ => {}
            }
        }
    }
    assert_eq!(
        range.height(),
        expected.len() + 1,
        "one workbook row per CSV row"
    );
    assert!(dates >= 2 * 5, "the date columns were checked ({dates})");
    let formulas = workbook.worksheet_formula("rows").unwrap();
    assert_eq!(
        formulas
            .used_cells()
            .filter(|(_, _, f)| !f.is_empty())
            .count(),
        0
    );
    // Nothing but the workbook is left beside it.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "clients")
        .collect();
    assert_eq!(names, ["out.xlsx"]);
}

#[test]
fn the_workbook_round_trips_through_libreoffice_with_every_value_intact() {
    let Some(soffice) = on_path("soffice") else {
        eprintln!(
            "SKIPPED the_workbook_round_trips_through_libreoffice: soffice is not on PATH \
             (install libreoffice-calc-nogui to run it)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    client_folders(dir.path());
    let expected = reference_rows(dir.path());
    scan_to(dir.path(), "out.xlsx", "xlsx");
    // Comma-separated, double quotes, UTF-8 (76), cells as shown (so dates as YYYY-MM-DD).
    let filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1";
    let converted = std::process::Command::new(soffice)
        .current_dir(dir.path())
        // A profile of its own: a user's running LibreOffice would otherwise take the job.
        .arg(format!(
            "-env:UserInstallation=file://{}/lo-profile",
            dir.path().display()
        ))
        .args([
            "--headless",
            "--convert-to",
            filter,
            "--outdir",
            "lo",
            "out.xlsx",
        ])
        .output()
        .unwrap();
    assert!(
        converted.status.success(),
        "{}",
        String::from_utf8_lossy(&converted.stderr)
    );
    // The last option (-1) writes every sheet to a CSV of its own, `out-SHEET.csv`.
    let sheet_csv = |sheet: &str| {
        let path = dir.path().join("lo").join(format!("out-{sheet}.csv"));
        let listing: Vec<_> = std::fs::read_dir(dir.path().join("lo")).unwrap().collect();
        csv_rows(&std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{listing:?}")))
    };
    let round_trip = sheet_csv("rows");
    // The case view's sheet comes back as the `--cases` CSV wrote it (yes/no as TRUE/FALSE).
    let cases = reference_cases(dir.path());
    let cases_back = sheet_csv("cases");
    assert_eq!(cases_back.len(), cases.len());
    for (got, want) in cases_back.iter().zip(&cases) {
        for (column, value) in want {
            assert_eq!(got[column], as_workbook_text(column, value), "{column}");
        }
    }
    assert_eq!(round_trip.len(), expected.len());
    for (line, (got, want)) in round_trip.iter().zip(&expected).enumerate() {
        for column in COLUMNS {
            assert_eq!(
                got[column],
                as_workbook_text(column, &want[column]),
                "row {line} {column}"
            );
        }
    }
    assert!(round_trip.iter().any(|r| r["account_number"] == ACCOUNT));
    assert!(
        round_trip
            .iter()
            .any(|r| r["file"].contains("García/Notificación"))
    );
}

fn on_path(program: &str) -> Option<std::path::PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
}

/// The README's example queries: each ```sql block after the `<!-- sqlite-examples -->` mark,
/// keyed by its first line (a `-- name` comment).
fn readme_queries() -> BTreeMap<String, String> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let (_, examples) = readme
        .split_once("<!-- sqlite-examples -->")
        .expect("README marks its SQLite examples");
    let examples = examples.split("<!-- /sqlite-examples -->").next().unwrap();
    examples
        .split("```sql\n")
        .skip(1)
        .map(|block| {
            let query = block.split("```").next().unwrap();
            let name = query
                .lines()
                .next()
                .unwrap()
                .trim_start_matches("-- ")
                .to_string();
            (name, query.to_string())
        })
        .collect()
}

fn query(db: &rusqlite::Connection, sql: &str) -> Vec<Vec<String>> {
    let mut statement = db.prepare(sql).unwrap();
    let columns = statement.column_count();
    statement
        .query_map([], |row| {
            (0..columns)
                .map(|i| {
                    Ok(match row.get::<_, rusqlite::types::Value>(i)? {
                        rusqlite::types::Value::Text(text) => text,
                        rusqlite::types::Value::Integer(n) => n.to_string(),
                        rusqlite::types::Value::Null => String::new(),
                        other => format!("{other:?}"),
                    })
                })
                .collect()
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn the_database_answers_the_readme_queries() {
    let dir = tempfile::tempdir().unwrap();
    client_folders(dir.path());
    let expected = reference_rows(dir.path());
    scan_to(dir.path(), "out.db", "sqlite");
    let db = rusqlite::Connection::open(dir.path().join("out.db")).unwrap();

    // Every CSV row is a row, every input a file.
    assert_eq!(
        query(&db, "SELECT count(*) FROM rows"),
        [[expected.len().to_string()]]
    );
    assert_eq!(query(&db, "SELECT count(*) FROM files"), [["10"]]);
    let account = query(
        &db,
        "SELECT account_number, typeof(needs_review) FROM notices WHERE account_number IS NOT NULL",
    );
    assert_eq!(account, [[ACCOUNT, "integer"]]);

    let queries = readme_queries();
    let run = |name: &str| {
        let sql = queries
            .get(name)
            .unwrap_or_else(|| panic!("README has no query {name:?}: {queries:?}"));
        query(&db, sql)
    };
    assert_eq!(
        run("numbers to review per client folder"),
        [["clients/ana", "1"]]
    );
    let per_case = run("notices per case");
    let case = per_case
        .iter()
        .find(|r| r[0] == "EAC2490012345")
        .expect("the case with three notices");
    assert_eq!(case[1], "3", "{per_case:?}");
    assert_eq!(
        run("duplicate files"),
        [[
            "2",
            "clients/ana/-Gonzalez intake.pdf | clients/ana/copy of intake.pdf"
        ]]
    );
    // Worked out from the CSV: the receipts with no approval notice among their rows.
    let approved: Vec<&str> = expected
        .iter()
        .filter(|r| r["status"] == "ok" && r["notice_type"] == "Approval Notice")
        .map(|r| r["receipt_number"].as_str())
        .collect();
    let mut unapproved: Vec<&str> = expected
        .iter()
        .filter(|r| r["status"] == "ok" && r["number_kind"] == "uscis_receipt")
        .map(|r| r["receipt_number"].as_str())
        .filter(|number| !approved.contains(number))
        .collect();
    unapproved.sort_unstable();
    unapproved.dedup();
    assert!(approved.contains(&PETITION) && unapproved.contains(&"EAC2490012345"));
    let without_approval: Vec<String> = run("cases without an approval")
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(without_approval, unapproved);
    assert_eq!(
        run("NVC cases and the USCIS receipts they quote"),
        [[NVC_CASE, PETITION, "approved 2019-09-10"]]
    );
    assert_eq!(queries.len(), 5, "each README query is checked here");
}

/// The case view a csv run writes with `--cases`: the values the workbook and database hold.
fn reference_cases(dir: &Path) -> Vec<BTreeMap<String, String>> {
    let run = run_in(
        dir,
        &[
            "scan",
            "clients",
            "-q",
            "-o",
            "ref.csv",
            "--cases",
            "cases.csv",
            "--no-formula-guard",
        ],
    );
    assert!(
        run.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&run)
    );
    csv_rows(&std::fs::read_to_string(dir.join("cases.csv")).unwrap())
}

#[test]
fn the_workbook_and_the_database_hold_the_case_view_of_their_rows() {
    let dir = tempfile::tempdir().unwrap();
    client_folders(dir.path());
    let cases = reference_cases(dir.path());
    assert!(cases.len() >= 5, "{cases:#?}");
    scan_to(dir.path(), "out.db", "sqlite");
    scan_to(dir.path(), "out.xlsx", "xlsx");
    let columns = i797::cases::columns::CASE_COLUMNS;

    let db = rusqlite::Connection::open(dir.path().join("out.db")).unwrap();
    let stored = query(
        &db,
        &format!(
            "SELECT {} FROM cases ORDER BY case_number",
            columns
                .iter()
                .filter(|c| **c != "notices")
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    assert_eq!(stored.len(), cases.len());
    for (row, case) in stored.iter().zip(&cases) {
        let csv: Vec<String> = columns
            .iter()
            .filter(|c| **c != "notices")
            .map(|c| match case[*c].as_str() {
                "true" => "1".to_string(),
                "false" => "0".to_string(),
                other => other.to_string(),
            })
            .collect();
        assert_eq!(row, &csv);
    }
    // The notices, through the link table, give the CSV's `notices` cell.
    let notices = query(
        &db,
        "SELECT case_number,
                group_concat(file || '#' || page || coalesce(' ' || notice_type, '')
                             || coalesce(' ' || notice_date, ''), ' | ')
         FROM (SELECT case_notices.case_number, notices.*
               FROM case_notices JOIN notices USING (row_id)
               ORDER BY case_notices.case_number, position)
         GROUP BY case_number ORDER BY case_number",
    );
    let from_csv: Vec<Vec<String>> = cases
        .iter()
        .map(|c| vec![c["case_number"].clone(), c["notices"].clone()])
        .collect();
    assert_eq!(notices, from_csv);

    let mut workbook: Xlsx<_> = open_workbook(dir.path().join("out.xlsx")).unwrap();
    assert_eq!(workbook.sheet_names(), ["rows", "cases"]);
    let sheet = workbook.worksheet_range("cases").unwrap();
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header, columns);
    for (row, case) in sheet.rows().skip(1).zip(&cases) {
        for (cell, column) in row.iter().zip(columns) {
            let shown = match cell {
                Data::String(text) if text == "TRUE" || text == "FALSE" => text.to_lowercase(),
                other => as_csv_text(other),
            };
            assert_eq!(shown, case[column], "{column}");
        }
    }
    assert_eq!(sheet.height(), cases.len() + 1);
}

#[test]
fn a_database_or_workbook_nobody_ran_i797_for_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    client_folders(dir.path());
    let theirs = dir.path().join("clients.db");
    rusqlite::Connection::open(&theirs)
        .unwrap()
        .execute_batch("CREATE TABLE clients (name TEXT); INSERT INTO clients VALUES ('Ana');")
        .unwrap();
    let before = std::fs::read(&theirs).unwrap();
    let mut sheet = rust_xlsxwriter::Workbook::new();
    sheet.add_worksheet().write_string(0, 0, "billing").unwrap();
    sheet.save(dir.path().join("billing.xlsx")).unwrap();
    let billing = std::fs::read(dir.path().join("billing.xlsx")).unwrap();
    for (output, format) in [
        ("clients.db", "sqlite"),
        ("clients.db", "csv"),
        ("billing.xlsx", "xlsx"),
        ("billing.xlsx", "csv"),
    ] {
        let run = run_in(
            dir.path(),
            &["scan", "clients", "-o", output, "--format", format],
        );
        assert_eq!(
            run.status.code(),
            Some(2),
            "{output} {format}: {}",
            stderr(&run)
        );
        assert!(
            stderr(&run).contains("will not overwrite"),
            "{}",
            stderr(&run)
        );
    }
    assert_eq!(std::fs::read(&theirs).unwrap(), before);
    assert_eq!(
        std::fs::read(dir.path().join("billing.xlsx")).unwrap(),
        billing
    );
}

#[test]
fn a_rerun_replaces_its_own_output_even_inside_the_scanned_folder() {
    let dir = tempfile::tempdir().unwrap();
    client_folders(dir.path());
    let rows = reference_rows(dir.path()).len();
    for (output, format) in [("clients/out.db", "sqlite"), ("clients/out.xlsx", "xlsx")] {
        scan_to(dir.path(), output, format);
        let again = run_in(
            dir.path(),
            &["scan", "clients", "-o", output, "--format", format],
        );
        assert!(
            again.status.code().is_some_and(|c| c <= 1),
            "{}",
            stderr(&again)
        );
        assert!(
            stderr(&again).contains("it is this run's own output"),
            "{}",
            stderr(&again)
        );
    }
    // The earlier output was left out of the inputs: as many rows as without it.
    assert_eq!(rows_in(&dir.path().join("clients/out.db")), rows);
}

#[test]
fn resume_merge_and_standard_output_are_refused_for_whole_file_formats() {
    let dir = tempfile::tempdir().unwrap();
    client_folders(dir.path());
    for args in [
        vec!["scan", "clients", "--format", "xlsx"],
        vec![
            "scan", "clients", "--format", "sqlite", "-o", "out.db", "--resume",
        ],
        vec![
            "scan", "clients", "--format", "xlsx", "-o", "out.xlsx", "--resume",
        ],
        // A merged database holds its case view too.
        vec![
            "merge", "all.db", "a.csv", "b.csv", "--format", "sqlite", "--cases", "c.csv",
        ],
        // The case view is inside a workbook or database already.
        vec![
            "scan", "clients", "--format", "sqlite", "-o", "out.db", "--cases", "c.csv",
        ],
    ] {
        let run = run_in(dir.path(), &args);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {}", stderr(&run));
        assert!(
            stderr(&run).contains("csv"),
            "{args:?}: the message names what works"
        );
        assert!(!dir.path().join("out.db").exists() && !dir.path().join("all.db").exists());
    }
}

/// Kills runs at moments spread over their length: the output path holds the earlier output,
/// whole, or the new one, whole; never a part.
#[cfg(unix)]
#[test]
fn a_killed_run_leaves_the_earlier_output_whole() {
    let dir = tempfile::tempdir().unwrap();
    for n in 0..150 {
        let receipt = format!("EAC21900{:05}", 10000 + n);
        put(
            dir.path(),
            &format!("clients/{:02}/notice-{n:03}.pdf", n % 5),
            &receipt_notice_pdf(
                &receipt,
                "I130 - PETITION FOR ALIEN RELATIVE",
                "RIVERA, ANA",
            ),
        );
    }
    for (output, format) in [("out.db", "sqlite"), ("out.xlsx", "xlsx")] {
        std::fs::create_dir_all(dir.path().join("earlier")).unwrap();
        let earlier_path = format!("earlier/{output}");
        let run = run_in(
            dir.path(),
            &[
                "scan",
                "clients/00",
                "-q",
                "-o",
                &earlier_path,
                "--format",
                format,
            ],
        );
        assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
        let earlier = std::fs::read(dir.path().join(&earlier_path)).unwrap();
        let started = std::time::Instant::now();
        let full = run_in(
            dir.path(),
            &["scan", "clients", "-q", "-o", output, "--format", format],
        );
        assert_eq!(full.status.code(), Some(0));
        let length = started.elapsed();
        let complete = rows_in(&dir.path().join(output));
        assert_eq!(complete, 150);
        let mut cut_short = 0;
        for tenth in [1u32, 3, 5, 7, 9] {
            std::fs::write(dir.path().join(output), &earlier).unwrap();
            let mut child = i797()
                .current_dir(dir.path())
                .args(["scan", "clients", "-q", "-o", output, "--format", format])
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(length * tenth / 10);
            child.kill().unwrap();
            let status = child.wait().unwrap();
            cut_short += usize::from(status.code().is_none());
            let left = std::fs::read(dir.path().join(output)).unwrap();
            assert!(
                left == earlier || rows_in(&dir.path().join(output)) == complete,
                "{format} killed at {tenth}/10: neither the earlier output nor a complete one"
            );
        }
        assert!(
            cut_short >= 2,
            "{format}: the kills must land mid-run ({cut_short} did)"
        );
        // The next run starts afresh and is not disturbed by what the killed ones left.
        let run = run_in(
            dir.path(),
            &["scan", "clients", "-o", output, "--format", format],
        );
        assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
        assert_eq!(rows_in(&dir.path().join(output)), complete);
    }
}

/// The rows in a database or workbook the binary wrote.
fn rows_in(path: &Path) -> usize {
    if path.extension().is_some_and(|e| e == "db") {
        let db = rusqlite::Connection::open(path).unwrap();
        return query(&db, "SELECT count(*) FROM rows")[0][0]
            .parse()
            .unwrap();
    }
    let mut workbook: Xlsx<_> = open_workbook(path).unwrap();
    workbook.worksheet_range("rows").unwrap().height() - 1
}
