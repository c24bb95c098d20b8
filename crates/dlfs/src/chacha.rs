//! ChaCha8 as a random number generator, written out so the crate needs no generator crate.
//!
//! The notebook kernel asks its built-in rust-analyzer for the type of every variable a cell
//! keeps, and the first such question makes it read every crate the notebook can see. The
//! usual ChaCha crate brings two more (one of them large) for its SIMD code; the few lines
//! below replace them. The stream is word for word that of `rand_chacha::ChaCha8Rng` 0.9
//! (a test compares them), so every seeded result is unchanged:
//!
//! - the state is the 4 constant words, the 256-bit key (the seed, little-endian words), a
//!   64-bit block counter (words 12 and 13, starting at 0) and a 64-bit stream number
//!   (words 14 and 15, always 0);
//! - one refill computes four consecutive blocks, 64 words;
//! - words are handed out in order; a `u64` is two words, the first as the low half, and
//!   may straddle a refill; bytes are taken from whole words, little-endian, and the rest
//!   of a partly used word is skipped.

/// Words in one ChaCha block.
const BLOCK_WORDS: usize = 16;
/// Blocks computed per refill.
const BUF_BLOCKS: usize = 4;
/// Words handed out between refills.
const BUF_WORDS: usize = BLOCK_WORDS * BUF_BLOCKS;
/// Double rounds of ChaCha8 (8 rounds).
const DOUBLE_ROUNDS: usize = 4;
/// "expand 32-byte k", little-endian.
const CONSTANTS: [u32; 4] = [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574];

#[inline(always)]
fn quarter_round(x: &mut [u32; BLOCK_WORDS], a: usize, b: usize, c: usize, d: usize) {
    x[a] = x[a].wrapping_add(x[b]);
    x[d] = (x[d] ^ x[a]).rotate_left(16);
    x[c] = x[c].wrapping_add(x[d]);
    x[b] = (x[b] ^ x[c]).rotate_left(12);
    x[a] = x[a].wrapping_add(x[b]);
    x[d] = (x[d] ^ x[a]).rotate_left(8);
    x[c] = x[c].wrapping_add(x[d]);
    x[b] = (x[b] ^ x[c]).rotate_left(7);
}

/// The ChaCha block function with `double_rounds` double rounds: the input state plus
/// its scrambled copy (RFC 8439, section 2.3).
fn block(input: &[u32; BLOCK_WORDS], double_rounds: usize) -> [u32; BLOCK_WORDS] {
    let mut x = *input;
    for _ in 0..double_rounds {
        quarter_round(&mut x, 0, 4, 8, 12);
        quarter_round(&mut x, 1, 5, 9, 13);
        quarter_round(&mut x, 2, 6, 10, 14);
        quarter_round(&mut x, 3, 7, 11, 15);
        quarter_round(&mut x, 0, 5, 10, 15);
        quarter_round(&mut x, 1, 6, 11, 12);
        quarter_round(&mut x, 2, 7, 8, 13);
        quarter_round(&mut x, 3, 4, 9, 14);
    }
    for (out, word) in x.iter_mut().zip(input) {
        *out = out.wrapping_add(*word);
    }
    x
}

/// ChaCha8 with a 64-bit block counter and stream 0, buffered four blocks at a time.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct ChaCha8 {
    key: [u32; 8],
    /// The counter of the first block of the next refill.
    counter: u64,
    buffer: [u32; BUF_WORDS],
    /// The next word of `buffer` to hand out; `BUF_WORDS` when it is used up.
    index: usize,
}

impl ChaCha8 {
    pub(crate) fn from_seed(seed: [u8; 32]) -> ChaCha8 {
        let mut key = [0u32; 8];
        for (word, bytes) in key.iter_mut().zip(seed.chunks_exact(4)) {
            *word = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        }
        ChaCha8 {
            key,
            counter: 0,
            buffer: [0; BUF_WORDS],
            index: BUF_WORDS,
        }
    }

    /// Computes the next four blocks and hands out words from `index` on.
    fn refill(&mut self, index: usize) {
        for (b, out) in self.buffer.chunks_exact_mut(BLOCK_WORDS).enumerate() {
            let counter = self.counter.wrapping_add(b as u64);
            let mut input = [0u32; BLOCK_WORDS];
            input[..4].copy_from_slice(&CONSTANTS);
            input[4..12].copy_from_slice(&self.key);
            input[12] = counter as u32;
            input[13] = (counter >> 32) as u32;
            out.copy_from_slice(&block(&input, DOUBLE_ROUNDS));
        }
        self.counter = self.counter.wrapping_add(BUF_BLOCKS as u64);
        self.index = index;
    }

    pub(crate) fn next_u32(&mut self) -> u32 {
        if self.index >= BUF_WORDS {
            self.refill(0);
        }
        let word = self.buffer[self.index];
        self.index += 1;
        word
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        let low = u64::from(self.next_u32());
        let high = u64::from(self.next_u32());
        (high << 32) | low
    }

    pub(crate) fn fill_bytes(&mut self, dst: &mut [u8]) {
        for chunk in dst.chunks_mut(4) {
            let bytes = self.next_u32().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 8439, section 2.3.2: the ChaCha20 block function's test vector (key 00..1f,
    /// block counter 1, nonce 00:00:00:09:00:00:00:4a:00:00:00:00).
    #[test]
    fn block_function_matches_rfc_8439() {
        let mut input = [0u32; 16];
        input[..4].copy_from_slice(&CONSTANTS);
        for (i, word) in input[4..12].iter_mut().enumerate() {
            let b = 4 * i as u32;
            *word = u32::from_le_bytes([b as u8, b as u8 + 1, b as u8 + 2, b as u8 + 3]);
        }
        input[12] = 1;
        input[13] = 0x0900_0000;
        input[14] = 0x4a00_0000;
        input[15] = 0;
        let expected = [
            0xe4e7f110, 0x15593bd1, 0x1fdd0f50, 0xc47120a3, 0xc7f4d1c7, 0x0368c033, 0x9aaa2204,
            0x4e6cd4c3, 0x466482d2, 0x09aa9f07, 0x05d7c214, 0xa2028bd9, 0xd19c12b5, 0xb94e16de,
            0xe883d0cb, 0x4e3c50a2,
        ];
        assert_eq!(block(&input, 10), expected);
    }

    /// The rest of a word is skipped by `fill_bytes`, as in the block generators of
    /// `rand_core`: 3 bytes and then a `u32` use two words.
    #[test]
    fn fill_bytes_skips_the_rest_of_a_word() {
        let mut a = ChaCha8::from_seed([7; 32]);
        let mut b = a.clone();
        let mut three = [0u8; 3];
        a.fill_bytes(&mut three);
        let first = b.next_u32().to_le_bytes();
        assert_eq!(three, first[..3]);
        assert_eq!(a.next_u32(), b.next_u32());
    }
}
