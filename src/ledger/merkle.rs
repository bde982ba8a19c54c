//! The ledger's Merkle root (RFC 6962) over its rows in ledger order, with inclusion
//! proofs.
//!
//! Recorded roots must keep verifying, so the tree never changes shape: leaves are `SHA-256(0x00 || row)`, inner nodes
//! `SHA-256(0x01 || left || right)`, split at the largest power of two below the leaf
//! count, empty tree `SHA-256("")`. The domain separation stops a row posing as an inner
//! node; the shape gives proofs of one row in O(log n) hashes without the whole ledger.

use sha2::{Digest, Sha256};

use crate::bytesource::hex;

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// The leaf hash of one ledger line: `SHA-256(0x00 || line)`.
pub fn leaf_hash(row: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(row);
    h.finalize().into()
}

/// The hash of an inner node: `SHA-256(0x01 || left || right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root over leaf hashes; the empty tree's root is SHA-256 of nothing.
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => Sha256::digest([]).into(),
        1 => leaves[0],
        n => {
            let k = split(n);
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// The same root as [`root`], built one leaf at a time in O(log n) memory, so a ledger
/// written as its rows finish never holds every leaf.
///
/// It keeps the roots of the perfect subtrees of the leaves so far (sizes strictly
/// decreasing, one per set bit of the count, as a binary counter carries). RFC 6962
/// splits `n` leaves at the largest power of two below `n`, which is the first of those
/// subtrees, so folding them right to left gives exactly [`root`]'s shape.
#[derive(Debug, Default, Clone)]
pub struct RootBuilder {
    /// (leaf count, root) of each perfect subtree, largest first.
    peaks: Vec<(u64, Hash)>,
}

impl RootBuilder {
    /// Adds the next leaf hash.
    pub fn push(&mut self, leaf: Hash) {
        let mut node = (1u64, leaf);
        while let Some(&(size, left)) = self.peaks.last() {
            if size != node.0 {
                break;
            }
            self.peaks.pop();
            node = (size * 2, node_hash(&left, &node.1));
        }
        self.peaks.push(node);
    }

    /// The root over every leaf pushed (SHA-256 of nothing when none were).
    pub fn root(&self) -> Hash {
        let mut peaks = self.peaks.iter().rev();
        let Some(&(_, last)) = peaks.next() else {
            return Sha256::digest([]).into();
        };
        peaks.fold(last, |right, (_, left)| node_hash(left, &right))
    }
}

/// The largest power of two strictly below `n` (n ≥ 2): where RFC 6962 splits a tree.
fn split(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

/// The audit path for leaf `index` (RFC 6962 §2.1.1), ordered from the leaf's sibling up
/// to the root's child; `None` when `index` is not a leaf of the tree.
pub fn inclusion_proof(leaves: &[Hash], index: usize) -> Option<Vec<Hash>> {
    if index >= leaves.len() {
        return None;
    }
    let mut path = Vec::new();
    collect_path(leaves, index, &mut path);
    Some(path)
}

fn collect_path(leaves: &[Hash], index: usize, path: &mut Vec<Hash>) {
    if leaves.len() <= 1 {
        return;
    }
    let k = split(leaves.len());
    if index < k {
        collect_path(&leaves[..k], index, path);
        path.push(root(&leaves[k..]));
    } else {
        collect_path(&leaves[k..], index - k, path);
        path.push(root(&leaves[..k]));
    }
}

/// Why an inclusion proof was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InclusionError {
    /// The leaf index is not below the tree size.
    #[error("leaf index {index} is outside a tree of {size} leaves")]
    IndexOutOfRange {
        /// 0-based leaf index claimed.
        index: u64,
        /// Leaves in the tree.
        size: u64,
    },
    /// The path holds more hashes than the tree's height.
    #[error("the audit path has {0} hashes, more than a tree of this size needs")]
    PathTooLong(usize),
    /// The path ends before reaching the root.
    #[error("the audit path is too short for leaf {index} of a tree of {size} leaves")]
    PathTooShort {
        /// 0-based leaf index claimed.
        index: u64,
        /// Leaves in the tree.
        size: u64,
    },
    /// The path leads to another root: the leaf is not in this tree at that index.
    #[error("the audit path leads to root {computed}, not the expected {expected}")]
    RootMismatch {
        /// Hex root the path leads to.
        computed: String,
        /// Hex root it should lead to.
        expected: String,
    },
}

/// Checks `leaf` sits at `index` of a tree of `size` leaves with root `expected`, by
/// RFC 9162 §2.1.3.2, which needs no tree, only the path.
pub fn verify_inclusion(
    leaf: &Hash,
    index: u64,
    size: u64,
    path: &[Hash],
    expected: &Hash,
) -> Result<(), InclusionError> {
    if index >= size {
        return Err(InclusionError::IndexOutOfRange { index, size });
    }
    let (mut fnode, mut snode) = (index, size - 1);
    let mut r = *leaf;
    for p in path {
        if snode == 0 {
            return Err(InclusionError::PathTooLong(path.len()));
        }
        if fnode & 1 == 1 || fnode == snode {
            r = node_hash(p, &r);
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    if snode != 0 {
        return Err(InclusionError::PathTooShort { index, size });
    }
    if r != *expected {
        return Err(InclusionError::RootMismatch {
            computed: hex(&r),
            expected: hex(expected),
        });
    }
    Ok(())
}

/// Parses 64 hex digits (either case); `None` for anything else.
pub fn parse_hex(text: &str) -> Option<Hash> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        *o = (nibble(pair[0])? << 4) | nibble(pair[1])?;
    }
    Some(out)
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: usize) -> Vec<Hash> {
        (0..n)
            .map(|i| leaf_hash(format!("row {i}").as_bytes()))
            .collect()
    }

    #[test]
    fn the_incremental_root_is_the_recursive_one() {
        for n in 0..70 {
            let leaves = leaves(n);
            let mut builder = RootBuilder::default();
            leaves.iter().for_each(|l| builder.push(*l));
            assert_eq!(builder.root(), root(&leaves), "{n} leaves");
        }
    }

    #[test]
    fn matches_rfc6962_shapes() {
        let l = leaves(3);
        assert_eq!(root(&l[..1]), l[0]);
        assert_eq!(root(&l[..2]), node_hash(&l[0], &l[1]));
        assert_eq!(root(&l), node_hash(&node_hash(&l[0], &l[1]), &l[2]));
        assert_eq!(
            hex(&root(&[])),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn every_leaf_of_trees_up_to_20_verifies() {
        for n in 1..=20 {
            let l = leaves(n);
            let r = root(&l);
            for i in 0..n {
                let path = inclusion_proof(&l, i).unwrap();
                assert_eq!(
                    verify_inclusion(&l[i], i as u64, n as u64, &path, &r),
                    Ok(())
                );
            }
            assert_eq!(inclusion_proof(&l, n), None);
        }
    }

    #[test]
    fn tampering_fails() {
        for n in 2..=20usize {
            let l = leaves(n);
            let r = root(&l);
            for i in 0..n {
                let path = inclusion_proof(&l, i).unwrap();
                let (ni, nn) = (i as u64, n as u64);
                let other = leaf_hash(b"forged row");
                assert!(verify_inclusion(&other, ni, nn, &path, &r).is_err());
                for s in 0..path.len() {
                    let mut bad = path.clone();
                    bad[s][0] ^= 1;
                    assert!(verify_inclusion(&l[i], ni, nn, &bad, &r).is_err());
                }
                let wrong_index = (i + 1) % n;
                assert!(verify_inclusion(&l[i], wrong_index as u64, nn, &path, &r).is_err());
                let mut long = path.clone();
                long.push(l[0]);
                assert!(verify_inclusion(&l[i], ni, nn, &long, &r).is_err());
                assert!(verify_inclusion(&l[i], ni, nn, &path[1..], &r).is_err());
            }
        }
    }

    #[test]
    fn index_outside_the_tree_is_rejected() {
        let l = leaves(4);
        let path = inclusion_proof(&l, 3).unwrap();
        assert_eq!(
            verify_inclusion(&l[3], 4, 4, &path, &root(&l)),
            Err(InclusionError::IndexOutOfRange { index: 4, size: 4 })
        );
    }

    #[test]
    fn hex_round_trips() {
        let h = leaf_hash(b"x");
        assert_eq!(parse_hex(&hex(&h)), Some(h));
        assert_eq!(parse_hex(&hex(&h).to_uppercase()), Some(h));
        assert_eq!(parse_hex("abc"), None);
        assert_eq!(parse_hex(&"g".repeat(64)), None);
    }
}
