//! The hash hearth names contents by: a fast 64-bit hash of bytes, the
//! same in every process, for what a build compares with the build
//! before (page fingerprints, loaded texts, files read).

/// A 64-bit hash of `bytes`: rapidhash V3, whose output the crate keeps
/// the same across its releases and platforms. Not for adversarial input:
/// it only has to tell a page's old context from its new one.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    rapidhash::v3::rapidhash_v3(bytes)
}

/// One hash of two: `first` then `second`.
pub fn hash_pair(first: u64, second: u64) -> u64 {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&first.to_le_bytes());
    bytes[8..].copy_from_slice(&second.to_le_bytes());
    hash_bytes(&bytes)
}

/// A [`std::hash::Hasher`] that gathers what it is fed and hashes it with
/// [`hash_bytes`] a block at a time: `#[derive(Hash)]` values hashed the
/// same in every process, faster than SipHash on long texts, in little
/// memory however much it is fed.
#[derive(Default)]
pub struct ContentHasher {
    /// The hash of the blocks before.
    state: u64,
    block: Vec<u8>,
}

/// What [`ContentHasher`] gathers before hashing.
const BLOCK_BYTES: usize = 64 * 1024;

impl std::hash::Hasher for ContentHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.block.extend_from_slice(bytes);
        if self.block.len() >= BLOCK_BYTES {
            self.state = hash_pair(self.state, hash_bytes(&self.block));
            self.block.clear();
        }
    }

    fn finish(&self) -> u64 {
        hash_pair(self.state, hash_bytes(&self.block))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{Hash, Hasher};

    fn content_hash(value: &impl Hash) -> u64 {
        let mut hasher = ContentHasher::default();
        value.hash(&mut hasher);
        hasher.finish()
    }

    #[test]
    fn long_contents_are_hashed_whole_in_blocks() {
        let text = "a".repeat(3 * BLOCK_BYTES + 17);
        let base = content_hash(&text);
        assert_eq!(content_hash(&text), base);
        for at in [0, BLOCK_BYTES - 1, BLOCK_BYTES + 5, text.len() - 1] {
            let mut changed = text.clone().into_bytes();
            changed[at] = b'b';
            assert_ne!(
                content_hash(&changed),
                content_hash(&text.as_bytes()),
                "byte {at}"
            );
        }
        assert_ne!(content_hash(&("ab", "c")), content_hash(&("a", "bc")));
    }
}
