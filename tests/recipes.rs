//! Every recipe in README.md, run as written: each block the README marks `<!-- recipe: NAME -->`
//! is taken from the README's own text (so the two cannot drift apart) and run here, with the job
//! runner's variables set as the runner sets them, on a small folder of generated notices standing
//! in for `/archive` (and a temporary folder for `/out`). The shards are then merged by the
//! README's own merge command, and the merged output must equal one plain run's.
//!
//! Nothing here needs a cluster: Kubernetes, Slurm and AWS Batch are simulated by running each
//! index's command with its variables; GNU parallel by a stand-in script that runs each job in a
//! "remote" folder of its host and copies the `--return` files back to the folder it was started
//! in, as parallel does.
#![allow(clippy::unwrap_used)] // helpers fail the test like the tests do

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The block after `<!-- recipe: NAME -->`: a fenced block's lines, or indented lines (unindented).
fn recipe(name: &str) -> String {
    let readme = readme();
    let mark = format!("<!-- recipe: {name} -->\n");
    let (_, after) = readme
        .split_once(&mark)
        .unwrap_or_else(|| panic!("README.md has no recipe {name:?}"));
    if let Some(fenced) = after.strip_prefix("```") {
        let (_, body) = fenced.split_once('\n').unwrap();
        return body.split("\n```").next().unwrap().to_string() + "\n";
    }
    let lines: Vec<&str> = after
        .lines()
        .take_while(|line| line.starts_with("    "))
        .map(|line| &line[4..])
        .collect();
    assert!(!lines.is_empty(), "recipe {name} has no commands");
    lines.join("\n") + "\n"
}

/// Every recipe the README marks: each must be run by a test below.
fn recipe_names() -> Vec<String> {
    readme()
        .split("<!-- recipe: ")
        .skip(1)
        .map(|rest| rest.split(" -->").next().unwrap().to_string())
        .collect()
}

/// A small archive: notices of a few cases over client folders, a copy, a broken file (exit
/// code 1), a note that is no notice.
fn archive(dir: &Path) -> PathBuf {
    let root = dir.join("archive");
    for n in 0..14 {
        put(
            &root,
            &format!("client-{}/notice-{n:02}.pdf", n % 4),
            &receipt_notice_pdf(
                &format!("EAC21900{:05}", 20000 + n % 9),
                "I130 - PETITION FOR ALIEN RELATIVE",
                "RIVERA, ANA",
            ),
        );
    }
    let copy = std::fs::read(root.join("client-1/notice-01.pdf")).unwrap();
    put(&root, "inbox/copy of notice 01.pdf", &copy);
    put(&root, "inbox/broken.pdf", b"%PDF-1.4\n1 0 obj <<");
    put(&root, "client-2/notes.txt", b"call about biometrics\n");
    root.canonicalize().unwrap()
}

/// One plain run over the archive: what every recipe's merged output must be.
fn single_run(dir: &Path, archive: &Path) -> Vec<u8> {
    let output = dir.join("single.csv");
    let run = i797()
        .arg("scan")
        .arg(archive)
        .arg("-o")
        .arg(&output)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(1),
        "the broken file: {}",
        stderr(&run)
    );
    std::fs::read(output).unwrap()
}

const FAKE_PARALLEL: &str = r#"#!/usr/bin/env bash
# Stand-in for GNU parallel --sshlogin/--workdir/--return: job N runs on host N mod hosts, in
# $FAKE_REMOTES/HOST/WORKDIR, and each --return file comes back relative to this folder.
set -u
hosts=(); workdir=.; returns=(); command=""; args=()
while (($#)); do
  case "$1" in
    --sshlogin|-S) IFS=, read -ra hosts <<<"$2"; shift 2;;
    --workdir|--wd) workdir=$2; shift 2;;
    --return) returns+=("$2"); shift 2;;
    :::) shift; args=("$@"); break;;
    -*) echo "fake parallel: $1 is not simulated" >&2; exit 255;;
    *) command=$1; shift;;
  esac
done
failed=0; i=0
for arg in "${args[@]}"; do
  host=${hosts[i % ${#hosts[@]}]}; i=$((i+1))
  remote="$FAKE_REMOTES/$host/$workdir"
  mkdir -p "$remote"
  (cd "$remote" && sh -c "${command//\{\}/$arg}") || failed=$((failed+1))
  for pattern in "${returns[@]}"; do
    file=${pattern//\{\}/$arg}
    if [ -e "$remote/$file" ]; then mkdir -p "$(dirname "$file")"; cp "$remote/$file" "$file"; fi
  done
done
exit $failed
"#;

/// A folder with `i797` (the binary under test) and a stand-in `parallel`, to put first on PATH.
fn bin_dir(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_i797"), bin.join("i797")).unwrap();
    let parallel = bin.join("parallel");
    std::fs::write(&parallel, FAKE_PARALLEL).unwrap();
    std::fs::set_permissions(&parallel, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

/// Runs the README's merge command `recipe` in `cwd` and checks that the merged output
/// (`OUT/archive.csv`) is byte for byte the `single` run's.
fn merge_gives(recipe: &str, cwd: &Path, archive: &Path, out: &Path, bin: &Path, single: &[u8]) {
    let merge = bash(&on_test_folders(recipe, archive, out), cwd, bin, &[]);
    assert_ok(&merge, "merge");
    assert_eq!(std::fs::read(out.join("archive.csv")).unwrap(), single);
}

/// Runs `script` with bash in `cwd`, `bin` first on PATH, with `env` set.
fn bash(script: &str, cwd: &Path, bin: &Path, env: &[(&str, String)]) -> Output {
    let path = std::env::join_paths(
        std::iter::once(bin.to_path_buf())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let mut command = Command::new("bash");
    command
        .arg("-c")
        .arg(script)
        .current_dir(cwd)
        .env("PATH", path)
        // Never the user's cache: each recipe run gets an empty store of its own.
        .env("I797_STORE", fresh_store());
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

/// The recipe's text with the archive and output folders of this test in place of the paths
/// `/archive` and `/out` (a whole path or its start, never inside another word such as
/// `/out/archive.csv`).
fn on_test_folders(text: &str, archive: &Path, out: &Path) -> String {
    let mut result = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('/') {
        let (before, from) = rest.split_at(at);
        result.push_str(before);
        let starts_path = !result.ends_with(|c: char| c.is_alphanumeric() || "._-/".contains(c));
        let replaced = [("/archive", archive), ("/out", out)]
            .into_iter()
            .find(|(path, _)| {
                from.strip_prefix(path).is_some_and(|after| {
                    !after.starts_with(|c: char| c.is_alphanumeric() || "._-".contains(c))
                })
            });
        match replaced {
            Some((path, folder)) if starts_path => {
                result.push_str(folder.to_str().unwrap());
                rest = &from[path.len()..];
            }
            _ => {
                result.push('/');
                rest = &from[1..];
            }
        }
    }
    result.push_str(rest);
    result
}

fn assert_ok(run: &Output, what: &str) {
    assert_eq!(
        run.status.code(),
        Some(0),
        "{what}: {}{}",
        stdout(run),
        stderr(run)
    );
}

/// `key: value` on a line of a YAML block.
fn yaml_value<'a>(yaml: &'a str, key: &str) -> &'a str {
    yaml.lines()
        .find_map(|line| line.trim().strip_prefix(&format!("{key}: ")))
        .unwrap_or_else(|| panic!("no {key} in\n{yaml}"))
}

#[test]
fn only_the_archive_and_out_paths_are_replaced() {
    let swapped = on_test_folders(
        "i797 scan /archive -o /out/shard-1.csv; i797 merge /out/archive.csv /out/s-*.csv a/archive /archived",
        Path::new("/t/a"),
        Path::new("/t/o"),
    );
    assert_eq!(
        swapped,
        "i797 scan /t/a -o /t/o/shard-1.csv; i797 merge /t/o/archive.csv /t/o/s-*.csv a/archive /archived"
    );
}

#[test]
fn every_recipe_in_the_readme_is_run_here() {
    let run_here = [
        "quick-start",
        "kubernetes-job",
        "kubernetes-merge",
        "slurm-array",
        "slurm-merge",
        "aws-batch-job-definition",
        "aws-batch-submit",
        "aws-batch-merge",
        "gnu-parallel",
    ];
    assert_eq!(recipe_names(), run_here);
}

#[test]
fn the_kubernetes_indexed_job_and_its_merge_give_one_runs_output() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, bin) = (archive(dir.path()), bin_dir(dir.path()));
    let single = single_run(dir.path(), &archive);
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let job = recipe("kubernetes-job");
    assert_eq!(yaml_value(&job, "completionMode"), "Indexed");
    let completions: usize = yaml_value(&job, "completions").parse().unwrap();
    let command: Vec<String> = serde_json::from_str(yaml_value(&job, "command")).unwrap();
    assert_eq!(command[..2], ["sh", "-c"]);
    let env = yaml_value(&job, "env");
    let count = env
        .split("name: I797_SHARD_COUNT, value: \"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("I797_SHARD_COUNT in {env}"));
    assert_eq!(count, completions.to_string(), "one shard per index");
    for index in 0..completions {
        // An index is complete only when its pod exits 0 (else it is run again).
        let pod = bash(
            &on_test_folders(&command[2], &archive, &out),
            dir.path(),
            &bin,
            &[
                ("JOB_COMPLETION_INDEX", index.to_string()),
                ("I797_SHARD_COUNT", count.to_string()),
            ],
        );
        assert_ok(&pod, &format!("index {index}"));
    }
    merge_gives(
        &recipe("kubernetes-merge"),
        dir.path(),
        &archive,
        &out,
        &bin,
        &single,
    );
}

#[test]
fn the_slurm_array_script_and_its_merge_give_one_runs_output() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, bin) = (archive(dir.path()), bin_dir(dir.path()));
    let single = single_run(dir.path(), &archive);
    let script = on_test_folders(&recipe("slurm-array"), &archive, Path::new("/unused"));
    let option = |name: &str| -> String {
        script
            .lines()
            .filter(|line| line.starts_with("#SBATCH"))
            .flat_map(|line| line.split_whitespace())
            .find_map(|word| word.strip_prefix(&format!("--{name}=")))
            .unwrap_or_else(|| panic!("#SBATCH --{name}"))
            .to_string()
    };
    let array = option("array");
    let (first, last) = array.split_once('-').unwrap();
    let (first, last): (usize, usize) = (first.parse().unwrap(), last.parse().unwrap());
    // sbatch runs each task in the folder it was submitted from; nothing is there yet.
    let submitted = dir.path().join("submitted");
    std::fs::create_dir_all(&submitted).unwrap();
    for task in first..=last {
        let run = bash(
            &script,
            &submitted,
            &bin,
            &[
                ("SLURM_ARRAY_JOB_ID", "4242".to_string()),
                ("SLURM_ARRAY_TASK_ID", task.to_string()),
                ("SLURM_ARRAY_TASK_MIN", first.to_string()),
                ("SLURM_ARRAY_TASK_MAX", last.to_string()),
                ("SLURM_ARRAY_TASK_COUNT", (last - first + 1).to_string()),
                ("SLURM_CPUS_PER_TASK", option("cpus-per-task")),
            ],
        );
        assert_ok(&run, &format!("task {task}"));
    }
    let merge = bash(&recipe("slurm-merge"), &submitted, &bin, &[]);
    assert_ok(&merge, "merge");
    assert_eq!(
        std::fs::read(submitted.join("archive.csv")).unwrap(),
        single
    );
}

#[test]
fn the_aws_batch_array_job_and_its_merge_give_one_runs_output() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, bin) = (archive(dir.path()), bin_dir(dir.path()));
    let single = single_run(dir.path(), &archive);
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let definition: serde_json::Value =
        serde_json::from_str(&recipe("aws-batch-job-definition")).unwrap();
    let container = &definition["containerProperties"];
    assert_eq!(container["image"], "registry.example/i797:latest");
    let command: Vec<String> = serde_json::from_value(container["command"].clone()).unwrap();
    assert_eq!(command[..2], ["sh", "-c"]);
    let environment: Vec<(String, String)> = container["environment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            let text = |key: &str| pair[key].as_str().unwrap().to_string();
            (text("name"), text("value"))
        })
        .collect();
    let submit = recipe("aws-batch-submit");
    let size: usize = submit
        .split("--array-properties size=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        submit.contains(&format!(
            "--job-definition {}",
            definition["jobDefinitionName"].as_str().unwrap()
        )),
        "{submit}"
    );
    let count = environment
        .iter()
        .find(|(name, _)| name == "I797_SHARD_COUNT")
        .map(|(_, value)| value.clone())
        .unwrap();
    assert_eq!(count, size.to_string(), "one shard per child");
    for index in 0..size {
        let mut env: Vec<(&str, String)> = environment
            .iter()
            .map(|(name, value)| (name.as_str(), value.clone()))
            .collect();
        env.push(("AWS_BATCH_JOB_ARRAY_INDEX", index.to_string()));
        let child = bash(
            &on_test_folders(&command[2], &archive, &out),
            dir.path(),
            &bin,
            &env,
        );
        assert_ok(&child, &format!("child {index}"));
    }
    merge_gives(
        &recipe("aws-batch-merge"),
        dir.path(),
        &archive,
        &out,
        &bin,
        &single,
    );
}

#[test]
fn the_gnu_parallel_recipe_brings_the_shards_back_where_merge_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, bin) = (archive(dir.path()), bin_dir(dir.path()));
    let single = single_run(dir.path(), &archive);
    let login = dir.path().join("login");
    std::fs::create_dir_all(&login).unwrap();
    let remotes = dir.path().join("remotes");
    let run = bash(
        &on_test_folders(&recipe("gnu-parallel"), &archive, Path::new("/unused")),
        &login,
        &bin,
        &[("FAKE_REMOTES", remotes.to_str().unwrap().to_string())],
    );
    assert_ok(&run, "parallel, then merge");
    assert!(
        remotes.join("host1/work/shard-0.csv").exists(),
        "the shards ran on the hosts, in --workdir"
    );
    assert_eq!(std::fs::read(login.join("archive.csv")).unwrap(), single);
}

/// The quick start on the bundled text-PDF samples (the OCR samples are read by
/// `tests/samples.rs`; the same command on them is only slower): `scripts/setup` as it is (it
/// installs only what is missing, and nothing is), the binary under test for
/// `cargo run --release --`, and the rows compared with `samples/expected.csv`.
#[test]
fn the_quick_start_reads_the_samples_into_the_expected_rows() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let bin = bin_dir(dir.path());
    std::fs::create_dir_all(dir.path().join("scripts")).unwrap();
    std::os::unix::fs::symlink(repo.join("scripts/setup"), dir.path().join("scripts/setup"))
        .unwrap();
    for entry in std::fs::read_dir(repo.join("samples/text")).unwrap() {
        let path = entry.unwrap().path();
        put(
            dir.path(),
            &format!(
                "samples/text/{}",
                path.file_name().unwrap().to_str().unwrap()
            ),
            &std::fs::read(&path).unwrap(),
        );
    }
    let command = recipe("quick-start");
    assert!(command.contains("cargo run --release --"), "{command}");
    let command = command.replace("cargo run --release --", "i797");
    let run = bash(&command, dir.path(), &bin, &[]);
    assert_ok(&run, "quick start");
    let got = csv_rows(&std::fs::read_to_string(dir.path().join("samples-out.csv")).unwrap());
    let expected: Vec<_> =
        csv_rows(&std::fs::read_to_string(repo.join("samples/expected.csv")).unwrap())
            .into_iter()
            .filter(|row| row["file"].starts_with("samples/text/"))
            .collect();
    assert!(expected.len() >= 10, "samples/expected.csv has text rows");
    // The copies' duplicate marks name other copies when the scans are not read.
    let without_marks = |rows: &[std::collections::BTreeMap<String, String>]| {
        rows.iter()
            .map(|row| {
                let mut row = row.clone();
                row.remove("duplicate_of");
                row
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(without_marks(&got), without_marks(&expected));
}

/// What can be checked of the `Dockerfile` without a container runtime (there is none on the
/// development machine: `docker` has no daemon, no podman or buildah): the image the recipes
/// name is the one the README builds; Debian, built through `scripts/setup`; the runtime stage
/// installs the package of every library the binary links and Tesseract's data; a user of its
/// own; no entry point that would swallow AWS Batch's `sh -c` command; nothing the build needs
/// left out of the context.
#[test]
fn the_dockerfile_names_the_recipes_image_and_installs_what_the_binary_links() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dockerfile = std::fs::read_to_string(repo.join("Dockerfile")).unwrap();
    let readme = readme();
    let (_, build) = readme.split_once("<!-- container-build -->\n").unwrap();
    let tag = build
        .split("docker build -t ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap();
    assert!(dockerfile.contains(&format!("docker build -t {tag} .")));
    assert_eq!(yaml_value(&recipe("kubernetes-job"), "image"), tag);
    let batch: serde_json::Value =
        serde_json::from_str(&recipe("aws-batch-job-definition")).unwrap();
    assert_eq!(batch["containerProperties"]["image"], tag);

    let instructions: Vec<(&str, &str)> = dockerfile
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| line.split_once(' '))
        .filter(|(word, _)| word.chars().all(|c| c.is_ascii_uppercase()))
        .collect();
    let all = |name: &str| -> Vec<&str> {
        instructions
            .iter()
            .filter(|(word, _)| *word == name)
            .map(|(_, rest)| *rest)
            .collect()
    };
    let bases = all("FROM");
    assert_eq!(bases.len(), 2, "a build stage and a runtime stage");
    assert!(bases.iter().all(|base| base.contains("${DEBIAN}")));
    assert!(dockerfile.contains("ARG DEBIAN=bookworm"));
    assert!(bases[1].starts_with("debian:"), "{bases:?}");
    assert!(
        all("RUN")
            .iter()
            .any(|run| run.starts_with("scripts/setup"))
    );
    for copy in all("COPY") {
        let source = copy.split_whitespace().next().unwrap();
        if !source.starts_with("--from") && source != "." {
            assert!(repo.join(source).exists(), "COPY {source}");
        }
    }
    assert!(all("ENTRYPOINT").is_empty(), "Batch's command is the CMD");
    assert!(all("CMD")[0].starts_with("[\"i797\""));
    let user = all("USER");
    assert!(
        user.len() == 1 && user[0] != "root" && user[0] != "0",
        "{user:?}"
    );

    // The runtime stage's packages: every library the binary links comes from one of them (or
    // from libc6 and libgcc-s1, in every Debian image), and Tesseract's data is there.
    let runtime = dockerfile.split("FROM debian:").nth(1).unwrap();
    let install = runtime
        .split("--no-install-recommends")
        .nth(1)
        .unwrap()
        .split("&&")
        .next()
        .unwrap();
    let packages: Vec<&str> = install
        .split_whitespace()
        .filter(|word| *word != "\\")
        .collect();
    for data in ["tesseract-ocr-eng", "tesseract-ocr-osd"] {
        assert!(packages.contains(&data), "{packages:?}");
    }
    let readelf = Command::new("readelf")
        .args(["-d", env!("CARGO_BIN_EXE_i797")])
        .output();
    let Ok(readelf) = readelf else {
        eprintln!("SKIPPED the library check: readelf is not installed");
        return;
    };
    let needed: Vec<String> = String::from_utf8_lossy(&readelf.stdout)
        .lines()
        .filter(|line| line.contains("(NEEDED)"))
        .filter_map(|line| line.split('[').nth(1))
        .map(|rest| rest.trim_end_matches(']').to_string())
        .collect();
    assert!(needed.iter().any(|lib| lib.starts_with("libtesseract")));
    for lib in needed.iter().filter(|lib| !lib.starts_with("ld-linux")) {
        let owner = Command::new("dpkg")
            .args(["-S", &format!("*/{lib}")])
            .output();
        let Some(owner) = owner.ok().filter(|o| o.status.success()) else {
            eprintln!("SKIPPED the package of {lib}: dpkg does not know it here");
            continue;
        };
        let package = String::from_utf8_lossy(&owner.stdout)
            .split(':')
            .next()
            .unwrap()
            .to_string();
        assert!(
            ["libc6", "libgcc-s1"].contains(&package.as_str())
                || packages.contains(&package.as_str()),
            "{lib} comes from {package}, which the runtime stage does not install: {packages:?}"
        );
    }

    let ignored = std::fs::read_to_string(repo.join(".dockerignore")).unwrap();
    let ignored: Vec<&str> = ignored
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .collect();
    assert!(ignored.contains(&"target/") && ignored.contains(&".git"));
    // The package, the workspace's crates, and the targets Cargo.toml names (the bench).
    for needed in [
        "src",
        "crates",
        "Cargo.toml",
        "Cargo.lock",
        "scripts",
        "bench",
        "examples",
    ] {
        assert!(repo.join(needed).exists(), "{needed}");
        assert!(
            !ignored
                .iter()
                .any(|pattern| pattern.trim_end_matches('/') == needed),
            "{needed} is needed to build"
        );
    }
    eprintln!(
        "NOTE: the image itself is built and run only where a container runtime works: \
         docker build -t {tag} . && docker run --rm {tag} i797 --version"
    );
}
