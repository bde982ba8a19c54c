//! The scan's web hosts per source: each file's per-host tallies folded in ledger
//! order, for the top-domains list the EU template asks of crawled sources.
//!
//! Only distinct hosts are held, not records, so memory grows with the web's breadth,
//! not the corpus's size; beyond [`MAX_HOSTS`] distinct hosts a new host's content is
//! counted under its source's `other` tally and the lists say they are capped. Folding
//! in ledger order makes which hosts are held, and so every output, deterministic.

use std::collections::BTreeMap;

use crate::analyze::web_hosts::{HostTallies, HostTally, region_of};

/// Distinct (source, host) pairs held before new hosts are folded into `other`: about
/// 100 bytes each, so the cap bounds the lists at a few hundred MB.
pub const MAX_HOSTS: usize = 2_000_000;

/// Per source, the hosts met so far.
#[derive(Default)]
pub struct WebHostIndex {
    sources: BTreeMap<String, SourceHosts>,
    held: usize,
    capped: bool,
    /// Files whose rows carry a `web_hosts` block but whose hosts were not tallied
    /// (rows reused from a baseline audit).
    untallied_files: u64,
}

/// One source's hosts.
#[derive(Default)]
pub struct SourceHosts {
    /// Per host held.
    pub hosts: HostTallies,
    /// Content of hosts met after the cap.
    pub other: HostTally,
}

/// One host of one source, as the sidecar and the summary list it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HostRow {
    /// The source's id.
    pub source: String,
    /// The host's name ([`crate::analyze::web_hosts::host_of`]).
    pub host: String,
    /// Its region ([`region_of`]).
    pub region: String,
    /// Records from it.
    pub records: u64,
    /// Their bytes of content.
    pub bytes: u64,
}

impl WebHostIndex {
    /// Adds one file's tallies to its source's.
    pub fn fold(&mut self, source: &str, tallies: HostTallies) {
        if tallies.is_empty() {
            return;
        }
        if !self.sources.contains_key(source) {
            self.sources
                .insert(source.to_string(), SourceHosts::default());
        }
        let Some(entry) = self.sources.get_mut(source) else {
            return;
        };
        for (host, tally) in tallies {
            if let Some(known) = entry.hosts.get_mut(&host) {
                known.add(tally);
            } else if self.held < MAX_HOSTS {
                entry.hosts.insert(host, tally);
                self.held += 1;
            } else {
                entry.other.add(tally);
                self.capped = true;
            }
        }
    }

    /// Adds the rows of an earlier audit's sidecar (a shard's, for `merge`).
    pub fn fold_rows(&mut self, rows: impl IntoIterator<Item = HostRow>) {
        let mut by_source: BTreeMap<String, HostTallies> = BTreeMap::new();
        for row in rows {
            let tally = HostTally {
                records: row.records,
                bytes: row.bytes,
            };
            by_source
                .entry(row.source)
                .or_default()
                .entry(row.host.into_boxed_str())
                .or_default()
                .add(tally);
        }
        for (source, tallies) in by_source {
            self.fold(&source, tallies);
        }
    }

    /// Counts `files` whose hosts are not known (reused rows with a `web_hosts` block).
    pub fn add_untallied(&mut self, files: u64) {
        self.untallied_files += files;
    }

    /// Marks the lists as capped (a shard's were).
    pub fn mark_capped(&mut self) {
        self.capped = true;
    }

    /// Whether any host was met.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// Whether hosts beyond [`MAX_HOSTS`] were folded into `other`.
    pub fn capped(&self) -> bool {
        self.capped
    }

    /// Files whose hosts are not in the lists.
    pub fn untallied_files(&self) -> u64 {
        self.untallied_files
    }

    /// Every host held, by source, then bytes (largest first), then name: the order
    /// of the sidecar and of each source's list.
    ///
    /// Host names are masked like paths (a subdomain can be a phone number or an
    /// e-mail's local part), once per distinct host, here where they leave the scan.
    pub fn rows(&self) -> Vec<HostRow> {
        let mask = crate::analyze::pii::path_mask();
        let mut rows = Vec::with_capacity(self.held);
        for (source, hosts) in &self.sources {
            let start = rows.len();
            rows.extend(hosts.hosts.iter().map(|(host, tally)| HostRow {
                source: source.clone(),
                host: mask.mask(host).unwrap_or_else(|| host.to_string()),
                region: region_of(host),
                records: tally.records,
                bytes: tally.bytes,
            }));
            rows[start..].sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.host.cmp(&b.host)));
        }
        rows
    }

    /// Each source's content counted under `other` (beyond the cap).
    pub fn others(&self) -> impl Iterator<Item = (&str, HostTally)> {
        self.sources
            .iter()
            .filter(|(_, h)| h.other.records > 0)
            .map(|(s, h)| (s.as_str(), h.other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tallies(hosts: &[(&str, u64)]) -> HostTallies {
        hosts
            .iter()
            .map(|(h, b)| {
                (
                    Box::<str>::from(*h),
                    HostTally {
                        records: 1,
                        bytes: *b,
                    },
                )
            })
            .collect()
    }

    #[test]
    fn folds_per_source_and_lists_largest_first() {
        let mut index = WebHostIndex::default();
        index.fold(
            "web",
            tallies(&[("b.org", 10), ("a.org", 10), ("zhihu.com", 5)]),
        );
        index.fold("web", tallies(&[("zhihu.com", 30)]));
        index.fold("news", tallies(&[("bbc.com", 1)]));
        let rows = index.rows();
        let listed: Vec<(&str, &str, u64)> = rows
            .iter()
            .map(|r| (r.source.as_str(), r.host.as_str(), r.bytes))
            .collect();
        assert_eq!(
            listed,
            [
                ("news", "bbc.com", 1),
                ("web", "zhihu.com", 35),
                ("web", "a.org", 10),
                ("web", "b.org", 10)
            ]
        );
        assert_eq!(rows[1].region, "CN");
        assert_eq!(rows[1].records, 2);
    }

    #[test]
    fn sidecar_rows_fold_back_to_the_same_lists() {
        let mut index = WebHostIndex::default();
        index.fold("web", tallies(&[("b.org", 10), ("a.org", 7)]));
        let mut again = WebHostIndex::default();
        again.fold_rows(index.rows());
        assert_eq!(again.rows(), index.rows());
    }
}
