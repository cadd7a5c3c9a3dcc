//! Changed-word ranges inside a pair of changed lines.

use similar::{Algorithm, DiffOp, capture_diff_slices};
use std::ops::Range;

type Ranges = Vec<Range<usize>>;

/// Below this share of unchanged bytes, emphasis would light up most of the line: skip it.
const MIN_SIMILARITY: f32 = 0.4;

/// Byte ranges that differ between `old` and `new`, compared word by word
/// (runs of alphanumerics, runs of whitespace, and single punctuation marks).
/// `None` when the lines are too different for emphasis to help.
pub(super) fn changed_ranges(old: &str, new: &str) -> Option<(Ranges, Ranges)> {
    let (old_tokens, new_tokens) = (tokens(old), tokens(new));
    let old_words: Vec<&str> = old_tokens.iter().map(|r| &old[r.clone()]).collect();
    let new_words: Vec<&str> = new_tokens.iter().map(|r| &new[r.clone()]).collect();
    let ops = capture_diff_slices(Algorithm::Myers, &old_words, &new_words);
    let mut same_bytes = 0;
    let (mut old_ranges, mut new_ranges) = (Vec::new(), Vec::new());
    for op in &ops {
        let (_, o, n) = op.as_tag_tuple();
        if let DiffOp::Equal { .. } = op {
            same_bytes += o.clone().map(|i| old_tokens[i].len()).sum::<usize>();
            continue;
        }
        push_span(&mut old_ranges, &old_tokens, o);
        push_span(&mut new_ranges, &new_tokens, n);
    }
    let total = old.len() + new.len();
    if total > 0 && (2 * same_bytes) as f32 / (total as f32) < MIN_SIMILARITY {
        return None;
    }
    Some((old_ranges, new_ranges))
}

/// Add the byte span covering `tokens[range]`, merging with the previous span when adjacent.
fn push_span(out: &mut Vec<Range<usize>>, tokens: &[Range<usize>], range: Range<usize>) {
    let (Some(first), Some(last)) = (
        tokens.get(range.start),
        range.end.checked_sub(1).and_then(|e| tokens.get(e)),
    ) else {
        return;
    };
    match out.last_mut() {
        Some(prev) if prev.end == first.start => prev.end = last.end,
        _ => out.push(first.start..last.end),
    }
}

#[derive(PartialEq, Clone, Copy)]
enum Class {
    Word,
    Space,
    Mark,
}

fn class(c: char) -> Class {
    if c.is_alphanumeric() || c == '_' {
        Class::Word
    } else if c.is_whitespace() {
        Class::Space
    } else {
        Class::Mark
    }
}

fn tokens(s: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut prev: Option<Class> = None;
    for (i, c) in s.char_indices() {
        let cl = class(c);
        match out.last_mut() {
            Some(last) if prev == Some(cl) && cl != Class::Mark => last.end = i + c.len_utf8(),
            _ => out.push(i..i + c.len_utf8()),
        }
        prev = Some(cl);
    }
    out
}
