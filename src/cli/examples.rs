//! The examples and exit codes shown after `--help` (as ripgrep and fd do): text only.

pub const MAIN: &str = "\
Examples:
  i797 scan ~/Clients -o notices.csv        read every notice under a folder into a CSV
  i797 find photo-of-my-notice.jpg          show the number on one notice, explained
  i797 scan /archive --shard 0/4 -o s0.csv  one of four machines' share of a large archive
  i797 merge archive.csv s0.csv s1.csv s2.csv s3.csv
  i797 watch ~/Scans/inbox -o notices.csv  keep a CSV up to date as scans arrive

Exit codes: 0 all read, 1 some files unreadable (rows say why), 2 could not run, 130 Ctrl-C.
Each command's --help has more; `i797 man | man -l -` shows the manual.";

pub const SCAN: &str = "\
Examples:
  i797 scan ~/Clients -o notices.csv
      every notice under a folder (recursively), one row per case number
  i797 scan ~/Clients -o notices.csv --resume
      carry on after a crash or Ctrl-C: keeps the rows written, reads the rest
  i797 scan inbox/ --format jsonl > notices.jsonl
      JSON Lines with typed values (`i797 schema` prints the schema)
  i797 scan ~/Clients --bom -o for-excel.csv
      a CSV that Excel opens with accents intact
  find /archive -name '*.pdf' -newer last-run -print0 | i797 scan --files-from - -0 -o new.csv
      read the files a list names
  i797 scan /archive --shard 2/8 -o shard-2.csv
      this machine's share of eight; then `i797 merge archive.csv shard-*.csv`
  i797 scan ~/Clients --format sqlite -o notices.db -v
      a database with the case tables; -v names each file as it is read (-q: errors only)

Rows go to standard output unless -o is given; progress and the summary go to standard error.
Files read before (same bytes, same settings) are taken from the store, not read again: see
`i797 store path`; --no-store reads every file.
With --shard and -o, OUT.i797-shard beside the output records what it is, for `merge`.

Exit codes:
  0    every file was read
  1    some files (or pages) could not be read; each has an `error` row, the output is complete
  2    the run could not start: bad arguments, an output that cannot be written or would
       destroy a file, no OCR language data
  130  stopped with Ctrl-C: the output holds the whole files read so far; the message gives
       the command that carries on";

pub const MERGE: &str = "\
Examples:
  i797 merge archive.csv shard-0.csv shard-1.csv shard-2.csv
  i797 merge archive.jsonl out/shard-*.jsonl
  i797 merge archive.db shard-*.csv --format sqlite     the merged rows as a database

Each shard output must have its manifest (SHARD.i797-shard, written by `scan --shard K/N -o
SHARD`). merge refuses, with exit code 2, a set with a shard missing or given twice, a shard
whose run did not finish or whose output changed since, and shards of different counts,
settings or engines. The merged output is byte-identical to what one run would write.

Exit codes:
  0    merged
  2    not merged: the message says which shard is missing, repeated, unfinished or different";

pub const WATCH: &str = "\
Examples:
  i797 watch ~/Scans/inbox -o ~/notices.csv
      a consume folder: files dropped in are read once they stop growing
  i797 watch ~/Scans/inbox --format xlsx -o ~/notices.xlsx --cases ~/cases.csv

FILE always equals what `i797 scan FOLDER… -o FILE` would write: each update reads only new or
changed files (the rest come from the store) and replaces FILE whole, so a reader never sees
half a file. Folders are looked at every minute as well, for shares that send no notifications.
Ctrl-C stops watching (once the update under way is written; twice: at once).

Exit codes:
  0    stopped with Ctrl-C
  2    could not run, or an update could not be written";

pub const FIND: &str = "\
Examples:
  i797 find photo-of-my-notice.jpg
  i797 find --json scan.pdf        the same, for scripts (field names as in `scan` output)

Exit codes:
  0    a number was found on every file
  1    no number on some file (the report says why and what to try)
  2    could not run (no OCR language data, bad arguments)";
