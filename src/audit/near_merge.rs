//! Near-duplicates across shards: `merge` settles every file's band keys and sketches
//! (the shards' `near_duplicates.bin`) in merged ledger order through the same index a
//! scan uses ([`NearDupIndex`]), so the ledger column, `near_duplicates.parquet`, the
//! sidecar and the summary's block equal an unsharded scan's, without reading the data.
//!
//! A shard alone cannot know them: a record's earlier near-copy may be in a file
//! another shard read. Each shard's entries are read one at a time as the merged order
//! reaches them (a shard's rows are in ledger order, so its entries are consumed in
//! file order), so the merge holds the index, as a scan does, not the sidecars.

use std::path::Path;

use crate::aggregate::near_dup::NearDupIndex;
use crate::analyze::minhash::MinHashParams;
use crate::ledger::near_dup_keys::{self, NEAR_DUPLICATES_BIN};
use crate::ledger::summary::{NearDupSummary, Summary};
use crate::ledger::{self, LedgerRow};

/// A shard as this step needs it: its directory, summary and row count.
pub struct ShardSide<'a> {
    /// Its directory.
    pub dir: &'a Path,
    /// Its summary (which outputs it recorded).
    pub summary: &'a Summary,
    /// Its ledger rows.
    pub rows: usize,
}

/// What failed: a shard's sidecar (by shard position), or writing the merged audit.
#[derive(Debug)]
pub enum Failure {
    /// The shard at this position.
    Shard(usize, anyhow::Error),
    /// The merged audit.
    Output(anyhow::Error),
}

/// Settles near-duplicates over `order` (each merged row's shard and row in it) into
/// `rows` (the merged rows, in that order), and writes `near_duplicates.bin` and
/// `near_duplicates.parquet` into `out`. Returns the summary's block.
pub fn recount(
    shards: &[ShardSide<'_>],
    order: &[(usize, usize)],
    rows: &mut [LedgerRow],
    params: MinHashParams,
    out: &Path,
) -> Result<NearDupSummary, Failure> {
    let mut readers = shards
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if !s.summary.outputs.contains_key(NEAR_DUPLICATES_BIN) {
                return Err(Failure::Shard(
                    i,
                    anyhow::anyhow!(
                        "no {NEAR_DUPLICATES_BIN} recorded (written by a provaudit before it existed): rescan this shard"
                    ),
                ));
            }
            near_dup_keys::Reader::open(&s.dir.join(NEAR_DUPLICATES_BIN), &params)
                .map_err(|e| Failure::Shard(i, e))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut next = vec![0usize; shards.len()];
    let mut index = NearDupIndex::on_disk(params, out).map_err(|e| Failure::Output(e.into()))?;
    let mut sidecar = near_dup_keys::Writer::create(out, &params).map_err(Failure::Output)?;
    for (f, (&(s, r), row)) in order.iter().zip(rows.iter_mut()).enumerate() {
        if next[s] != r {
            let e = anyhow::anyhow!("its ledger is not in ledger order");
            return Err(Failure::Shard(s, e));
        }
        next[s] += 1;
        let records = readers[s].next_entry().map_err(|e| Failure::Shard(s, e))?;
        row.near_duplicates = Some(index.settle_next(f as u32, &records));
        sidecar.put(&records);
    }
    for (s, (reader, read)) in readers.into_iter().zip(next).enumerate() {
        if read != shards[s].rows {
            let e = anyhow::anyhow!("not every row was merged");
            return Err(Failure::Shard(s, e));
        }
        reader.finish(read).map_err(|e| Failure::Shard(s, e))?;
    }
    sidecar.finish().map_err(Failure::Output)?;
    ledger::near_dup::write_named(out, &mut index, |f| {
        rows.get(f as usize)
            .map(|r| ledger::row::join(&r.root, &r.path))
            .unwrap_or_default()
    })
    .map_err(Failure::Output)?;
    index.check().map_err(|e| Failure::Output(e.into()))?;
    Ok(NearDupSummary::of(&mut index))
}
