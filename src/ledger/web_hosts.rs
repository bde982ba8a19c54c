//! `web_hosts.jsonl` and the summary's per-source host lists: the EU public-summary
//! template's "top 10% of domain names by size of content" for crawled sources, and
//! each source's distinct hosts.
//!
//! The sidecar lists every host held ([`crate::aggregate::web_hosts`]) per source,
//! largest first, so a list longer than the summary keeps ([`LISTED_MAX`]) is still
//! there in full, and `merge` can add shards' lists without reading the data. Written
//! only when some record named a web address; a rerun that meets none removes an
//! earlier run's file, so an audit directory never carries a stale list.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::aggregate::web_hosts::{HostRow, WebHostIndex};

/// The sidecar's name in the audit directory.
pub const WEB_HOSTS_JSONL: &str = "web_hosts.jsonl";

/// The share of a source's distinct hosts its top list covers: the EU template's 10%.
pub const TOP_SHARE: f64 = 0.10;

/// Hosts a source's list keeps in `summary.json` (the template lets SMEs stop at
/// 1,000 domains; larger lists are in the sidecar).
pub const LISTED_MAX: usize = 1_000;

/// [`WebHostsSummary::method`].
pub const METHOD: &str = "The host of each record's web address (a `url`, `source_url`, `meta.url`, `WARC-Target-URI`... field holding an http(s) URL), without `www.`; content size is the UTF-8 bytes of the record's other text fields. Regions are read off the host's name (a table of well-known hosts, then the country-code TLD), an estimate of where the content comes from, not where servers stand.";

/// What `summary.json` records of the scan's web hosts.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WebHostsSummary {
    /// How hosts, sizes and regions are read.
    pub method: Cow<'static, str>,
    /// Hosts beyond the cap were counted under `other`: lists are then incomplete.
    pub capped: bool,
    /// Files whose hosts are not in the lists (rows reused from a baseline audit);
    /// their bytes per region are in the ledger and the groups all the same.
    pub untallied_files: u64,
    /// Per source id.
    pub per_source: BTreeMap<String, SourceHosts>,
}

/// One source's hosts.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SourceHosts {
    /// Distinct hosts.
    pub distinct_hosts: u64,
    /// Records and bytes over the listed hosts and `other`.
    pub records: u64,
    /// See `records`.
    pub bytes: u64,
    /// How many hosts make the top 10% (rounded up).
    pub top_hosts: u64,
    /// Their bytes.
    pub top_bytes: u64,
    /// The top hosts, largest first, at most [`LISTED_MAX`].
    pub listed: Vec<HostFigure>,
    /// Content of hosts beyond the cap.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other: Option<HostFigure>,
}

/// One host's content.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HostFigure {
    /// The host.
    pub host: String,
    /// Its region.
    pub region: String,
    /// Records.
    pub records: u64,
    /// Bytes of content.
    pub bytes: u64,
}

/// The summary of `index`'s hosts; `None` when no record named a web address.
pub fn summarize(index: &WebHostIndex, rows: &[HostRow]) -> Option<WebHostsSummary> {
    if index.is_empty() && index.untallied_files() == 0 {
        return None;
    }
    let mut per_source: BTreeMap<String, SourceHosts> = BTreeMap::new();
    for (source, group) in rows
        .chunk_by(|a, b| a.source == b.source)
        .filter_map(|g| Some((&g.first()?.source, g)))
    {
        let top = ((group.len() as f64) * TOP_SHARE).ceil() as usize;
        per_source.insert(
            source.clone(),
            SourceHosts {
                distinct_hosts: group.len() as u64,
                records: group.iter().map(|r| r.records).sum(),
                bytes: group.iter().map(|r| r.bytes).sum(),
                top_hosts: top as u64,
                top_bytes: group.iter().take(top).map(|r| r.bytes).sum(),
                listed: group.iter().take(top.min(LISTED_MAX)).map(figure).collect(),
                other: None,
            },
        );
    }
    for (source, other) in index.others() {
        let entry = per_source.entry(source.to_string()).or_default();
        entry.records += other.records;
        entry.bytes += other.bytes;
        entry.other = Some(HostFigure {
            host: "(other hosts)".into(),
            region: crate::analyze::web_hosts::GENERIC.into(),
            records: other.records,
            bytes: other.bytes,
        });
    }
    Some(WebHostsSummary {
        method: Cow::Borrowed(METHOD),
        capped: index.capped(),
        untallied_files: index.untallied_files(),
        per_source,
    })
}

fn figure(row: &HostRow) -> HostFigure {
    HostFigure {
        host: row.host.clone(),
        region: row.region.clone(),
        records: row.records,
        bytes: row.bytes,
    }
}

/// Writes `rows` as `web_hosts.jsonl` into `out`, or removes an earlier file when
/// there are none. Returns whether a file was written.
pub fn write(out: &Path, rows: &[HostRow]) -> anyhow::Result<bool> {
    let path = out.join(WEB_HOSTS_JSONL);
    if rows.is_empty() {
        return match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(anyhow::Error::new(e).context(format!("removing the stale {}", path.display())))
            }
            _ => Ok(false),
        };
    }
    let file = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    let mut w = BufWriter::new(file);
    for row in rows {
        serde_json::to_writer(&mut w, row)?;
        w.write_all(b"\n")?;
    }
    w.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(true)
}

/// Reads an audit's `web_hosts.jsonl` (none when the audit has no such file).
pub fn read(dir: &Path) -> anyhow::Result<Vec<HostRow>> {
    let path = dir.join(WEB_HOSTS_JSONL);
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(anyhow::Error::new(e).context(format!("opening {}", path.display()))),
    };
    BufReader::new(file)
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let line = line.with_context(|| format!("reading {}", path.display()))?;
            serde_json::from_str(&line)
                .with_context(|| format!("{} line {}: not a host row", path.display(), i + 1))
        })
        .collect()
}

/// Writes the sidecar of `index` and returns the summary and the sidecar's hash (when
/// written), for the scan and `merge` alike.
pub fn finish(
    out: &Path,
    index: &WebHostIndex,
) -> anyhow::Result<(Option<WebHostsSummary>, Option<String>)> {
    let rows = index.rows();
    let written = write(out, &rows)?;
    let hash = if written {
        Some(super::hash_file(&out.join(WEB_HOSTS_JSONL))?)
    } else {
        None
    };
    Ok((summarize(index, &rows), hash))
}
