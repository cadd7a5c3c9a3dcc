use super::*;

fn limits() -> DiffLimits {
    DiffLimits::default()
}

fn kinds(d: &TextDiff) -> String {
    d.lines
        .iter()
        .map(|l| match l.kind {
            LineKind::Context => ' ',
            LineKind::Added => '+',
            LineKind::Removed => '-',
        })
        .collect()
}

#[test]
fn lines_are_tagged_and_numbered() {
    let d = diff_text("a\nb\nc\n", "a\nB\nc\nd\n", &limits());
    assert_eq!(kinds(&d), " -+ +");
    assert_eq!((d.additions, d.deletions), (2, 1));
    let b = &d.lines[1];
    assert_eq!((b.old_no, b.new_no, b.text.as_str()), (Some(2), None, "b"));
    let new_b = &d.lines[2];
    assert_eq!((new_b.old_no, new_b.new_no), (None, Some(2)));
    assert_eq!(d.lines[4].new_no, Some(4));
}

#[test]
fn hunks_keep_context_and_merge_when_close() {
    let old: String = (1..=30).map(|i| format!("line {i}\n")).collect();
    let new = old
        .replace("line 5\n", "line five\n")
        .replace("line 25\n", "line twenty-five\n");
    let d = diff_text(&old, &new, &limits());
    assert_eq!(d.hunks.len(), 2, "changes 20 lines apart make two hunks");
    assert_eq!(d.hunks[0].header(), "@@ -2,7 +2,7 @@");
    assert_eq!(d.hunks[1].header(), "@@ -22,7 +22,7 @@");
    // Two changes 4 lines apart share one hunk.
    let close = old.replace("line 5\n", "x\n").replace("line 9\n", "y\n");
    assert_eq!(diff_text(&old, &close, &limits()).hunks.len(), 1);
    // Jumps.
    assert_eq!(d.next_hunk(0), Some(0));
    assert_eq!(d.next_hunk(d.hunks[0].start), Some(1));
    assert_eq!(d.prev_hunk(d.lines.len()), Some(1));
    assert_eq!(d.hunk_at(d.hunks[1].start + 3), Some(1));
}

#[test]
fn pure_addition_hunk_header_matches_git() {
    let d = diff_text("", "a\nb\n", &limits());
    assert_eq!(d.hunks[0].header(), "@@ -0,0 +1,2 @@");
}

#[test]
fn changed_words_are_emphasised() {
    let d = diff_text("  replicas: 3\n", "  replicas: 5\n", &limits());
    let (old, new) = (&d.lines[0], &d.lines[1]);
    assert_eq!(old.kind, LineKind::Removed);
    assert_eq!(&old.text[old.emphasis[0].clone()], "3");
    assert_eq!(&new.text[new.emphasis[0].clone()], "5");
    assert_eq!(old.emphasis.len(), 1);
}

#[test]
fn unrelated_lines_get_no_emphasis() {
    let d = diff_text("apiVersion: v1\n", "completely different words here\n", &limits());
    assert!(d.lines.iter().all(|l| l.emphasis.is_empty()));
}

#[test]
fn long_unchanged_runs_fold_and_expand() {
    let old: String = (1..=40).map(|i| format!("{i}\n")).collect();
    let new = old.replace("20\n", "twenty\n");
    let d = diff_text(&old, &new, &limits());
    let mut folds = FoldState::new(&d);
    assert_eq!(folds.folds.len(), 2, "before and after the single hunk");
    assert_eq!(
        folds.folds[0],
        Fold {
            start: 0,
            len: 16,
            expanded: false
        }
    );
    let rows = folds.rows(&d);
    assert_eq!(rows[0], Row::Folded { fold: 0, lines: 16 });
    assert_eq!(rows[1], Row::Line(16));
    assert_eq!(rows.len(), 1 + d.hunks[0].end - d.hunks[0].start + 1);
    assert_eq!(folds.row_of_line(d.hunks[0].start), 1);
    assert_eq!(folds.row_of_line(3), 0, "a folded line scrolls to its fold row");
    folds.toggle(0);
    assert_eq!(folds.rows(&d)[0], Row::Line(0));
    assert_eq!(folds.row_of_line(d.hunks[0].start), 16);
    folds.set_all(true);
    assert_eq!(folds.rows(&d).len(), d.lines.len());
    folds.toggle(99); // ignored
}

#[test]
fn unchanged_text_is_not_folded() {
    let d = diff_text("a\nb\nc\nd\ne\n", "a\nb\nc\nd\ne\n", &limits());
    assert!(d.is_unchanged());
    assert!(FoldState::new(&d).folds.is_empty());
}

#[test]
fn side_by_side_pairs_replacements() {
    let d = diff_text("a\nb\nc\nz\n", "a\nB\nC\nD\nz\n", &limits());
    let rows = side_by_side(&d, &FoldState::new(&d));
    let text = |i: Option<usize>| i.map(|i| d.lines[i].text.as_str());
    let pairs: Vec<(Option<&str>, Option<&str>)> = rows
        .iter()
        .map(|r| match r {
            SideRow::Pair { left, right } => (text(*left), text(*right)),
            SideRow::Folded { .. } => (None, None),
        })
        .collect();
    assert_eq!(
        pairs,
        vec![
            (Some("a"), Some("a")),
            (Some("b"), Some("B")),
            (Some("c"), Some("C")),
            (None, Some("D")),
            (Some("z"), Some("z")),
        ]
    );
}

#[test]
fn side_by_side_keeps_folds() {
    let old: String = (1..=40).map(|i| format!("{i}\n")).collect();
    let d = diff_text(&old, &old.replace("20\n", "x\n"), &limits());
    let rows = side_by_side(&d, &FoldState::new(&d));
    assert!(matches!(rows[0], SideRow::Folded { fold: 0, lines: 16 }));
    assert!(matches!(rows.last(), Some(SideRow::Folded { fold: 1, .. })));
}

#[test]
fn binary_is_reported_with_size() {
    let d = diff_bytes(b"\x00\x01\x02", b"\x00\x01\x02\x03", &limits());
    assert_eq!(
        d,
        FileDiff::Binary {
            old_size: 3,
            new_size: 4
        }
    );
    assert_eq!(d.notice().as_deref(), Some("binary, 3 bytes -> 4 bytes"));
    let added = diff_bytes(b"", &[0u8; 10], &limits());
    assert_eq!(added.notice().as_deref(), Some("binary, 10 bytes"));
    assert_eq!(line_counts(b"a\x00", b"b", &limits()), None);
}

#[test]
fn huge_input_is_truncated_at_a_line_break() {
    let old = "x\n".repeat(1000);
    let new = "y\n".repeat(1000);
    let small = DiffLimits {
        max_bytes: 101,
        ..limits()
    };
    let FileDiff::Text(d) = diff_bytes(old.as_bytes(), new.as_bytes(), &small) else {
        panic!("text expected")
    };
    let cut = d.truncated.expect("truncated");
    assert_eq!((cut.old_size, cut.new_size), (2000, 2000));
    assert_eq!(d.deletions, 50, "cut after the 50th line break below 101 bytes");
    assert!(cut.notice().contains("2000 bytes"));
    assert_eq!(
        line_counts(old.as_bytes(), new.as_bytes(), &small),
        Some((50, 50, true))
    );
}

#[test]
fn crlf_and_missing_final_newline() {
    let d = diff_text("a\r\nb", "a\r\nb\n", &limits());
    assert!(d.is_unchanged());
    assert_eq!(d.lines.len(), 2);
}

#[test]
fn appended_diffs_keep_their_captions_out_of_every_fold() {
    let old: String = (1..=12).map(|i| format!("{i}\n")).collect();
    let new = old.replace("6\n", "six\n");
    let mut whole = TextDiff::default();
    let mut captions = Vec::new();
    for _ in 0..2 {
        captions.push(whole.push_caption("── object".into()));
        whole.append(diff_text(&old, &new, &limits()));
    }
    assert_eq!(whole.hunks.len(), 2);
    assert_eq!((whole.additions, whole.deletions), (2, 2));
    let second = &whole.hunks[1];
    assert!(second.start > captions[1], "hunks shift with their lines");
    assert_eq!(whole.lines[second.start + 3].text, "6");
    let folds = FoldState::with_pinned(&whole, &captions);
    for c in &captions {
        assert_eq!(
            folds.fold_of_line(*c),
            None,
            "caption {c} folded: {:?}",
            folds.folds
        );
    }
    let shown: Vec<usize> = folds
        .rows(&whole)
        .into_iter()
        .filter_map(|r| match r {
            Row::Line(i) => Some(i),
            Row::Folded { .. } => None,
        })
        .collect();
    assert!(captions.iter().all(|c| shown.contains(c)));
    // Without pinning, the tail of the first object and the second caption fold together.
    let plain = FoldState::new(&whole);
    assert!(plain.fold_of_line(captions[1]).is_some());
}
