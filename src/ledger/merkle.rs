//! The ledger's Merkle root: SHA-256 over the rows in ledger order.
//!
//! The tree is RFC 6962's (Certificate Transparency): leaves are `SHA-256(0x00 || row)`,
//! inner nodes `SHA-256(0x01 || left || right)`, split at the largest power of two below
//! the leaf count. The domain separation prevents a row from posing as an inner node,
//! and the shape allows an inclusion proof for one row without the whole ledger.

use sha2::{Digest, Sha256};

pub type Hash = [u8; 32];

pub fn leaf_hash(row: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(row);
    h.finalize().into()
}

fn node_hash(left: &Hash, right: &Hash) -> Hash {
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
            let split = largest_power_of_two_below(n);
            node_hash(&root(&leaves[..split]), &root(&leaves[split..]))
        }
    }
}

fn largest_power_of_two_below(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_rfc6962_shapes() {
        let l: Vec<Hash> = (0..3u8).map(|i| leaf_hash(&[i])).collect();
        assert_eq!(root(&l[..1]), l[0]);
        assert_eq!(root(&l[..2]), node_hash(&l[0], &l[1]));
        assert_eq!(root(&l), node_hash(&node_hash(&l[0], &l[1]), &l[2]));
        assert_eq!(
            hex(&root(&[])),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn any_change_moves_the_root() {
        let a: Vec<Hash> = ["r1", "r2", "r3", "r4", "r5"]
            .iter()
            .map(|r| leaf_hash(r.as_bytes()))
            .collect();
        let mut b = a.clone();
        b[3] = leaf_hash(b"r4 edited");
        assert_ne!(root(&a), root(&b));
    }
}
