//! Web hosts: which host each crawled record came from, from the address its metadata
//! keeps ([`crate::analyze::web_hosts`]).
//!
//! Always on: a record without an address field costs a name check per field, and a
//! file without any gets no `web_hosts` block (its ledger line is unchanged). The
//! per-host tallies go to the scan, which folds them per source in ledger order for the
//! top-domains list ([`crate::aggregate::web_hosts`]); the row keeps the per-region
//! bytes, which sum exactly over files.

use super::{Columns, Detector, Findings, Merge};
use crate::aggregate::FileResult;
use crate::analyze::web_hosts::{HostTallies, HostTally, WebHostCounts, host_of, is_url_field};
use crate::analyze::{Detectors, RecordFacts};
use crate::record::Record;

/// Tallies records per web host.
pub struct WebHosts;

/// A unit's or a file's tallies per host.
#[derive(Default)]
pub struct FileHosts(pub HostTallies);

impl Detector for WebHosts {
    const COLUMNS: &'static [&'static str] = &["web_hosts"];
    type Unit = FileHosts;
    type Stats = FileHosts;

    fn begin(_: &Detectors) -> FileHosts {
        FileHosts::default()
    }

    #[inline]
    fn record(
        _: &Detectors,
        unit: &mut FileHosts,
        record: &Record<'_>,
        _: &RecordFacts,
        _: &mut Findings,
    ) {
        // Most records name no address: they cost one name check per field.
        let Some(host) = record
            .fields
            .iter()
            .filter(|f| is_url_field(&f.path))
            .find_map(|f| host_of(&f.text))
        else {
            return;
        };
        let bytes: u64 = record
            .fields
            .iter()
            .filter(|f| !is_url_field(&f.path))
            .map(|f| f.text.len() as u64)
            .sum();
        let tally = HostTally { records: 1, bytes };
        match unit.0.get_mut(host.as_ref()) {
            Some(known) => known.add(tally),
            None => {
                unit.0.insert(host.into_owned().into_boxed_str(), tally);
            }
        }
    }

    fn finish(unit: FileHosts, stats: &mut FileHosts) {
        stats.merge(unit);
    }
}

impl Merge for FileHosts {
    fn merge(&mut self, other: Self) {
        if self.0.is_empty() {
            self.0 = other.0;
            return;
        }
        for (host, tally) in other.0 {
            self.0.entry(host).or_default().add(tally);
        }
    }
}

impl Columns for FileHosts {
    fn fill(self, file: &mut FileResult) {
        if self.0.is_empty() {
            return;
        }
        file.web_hosts
            .get_or_insert_default()
            .merge(&WebHostCounts::of(&self.0));
        for (host, tally) in self.0 {
            file.host_tallies.entry(host).or_default().add(tally);
        }
    }
}
