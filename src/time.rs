//! Dates without a date crate: RFC 3339 as Kubernetes writes it, and civil dates from
//! Unix seconds (Howard Hinnant's algorithms, proleptic Gregorian, UTC).

/// Seconds since the Unix epoch, now (0 if the clock is before 1970).
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Seconds since the Unix epoch of an RFC 3339 time as Kubernetes writes it
/// (`2026-11-22T02:01:42Z`, optionally with fractional seconds or an offset).
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.find(|c: char| !c.is_ascii_digit()).unwrap_or(frac.len());
        rest = &frac[digits..];
    }
    let offset = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (oh, om) = (
                rest.get(1..3)?.parse::<i64>().ok()?,
                rest.get(4..6)?.parse::<i64>().ok()?,
            );
            sign * (oh * 3600 + om * 60)
        }
    };
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec - offset)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Year, month, day, hour, minute, second (UTC) of Unix seconds.
pub fn civil(secs: i64) -> (i64, i64, i64, i64, i64, i64) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, rem / 3600, rem % 3600 / 60, rem % 60)
}

/// `YYYY-MM-DDTHH:MM:SSZ`, as the API server writes times.
/// `time` as RFC 3339 UTC with nanoseconds (`2026-12-04T10:00:00.123456789Z`), the form
/// `flux reconcile` writes to `reconcile.fluxcd.io/requestedAt`.
pub fn format_rfc3339_nanos(time: std::time::SystemTime) -> String {
    let d = time.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let base = format_rfc3339(d.as_secs() as i64);
    let nanos = d.subsec_nanos();
    match base.strip_suffix('Z') {
        Some(b) if nanos > 0 => format!("{b}.{nanos:09}Z"),
        _ => base,
    }
}

pub fn format_rfc3339(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(secs);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_parses_kubernetes_times() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2026-11-22T02:01:42Z"), Some(1_795_312_902));
        assert_eq!(parse_rfc3339("2026-11-22T03:01:42+01:00"), Some(1_795_312_902));
        assert_eq!(parse_rfc3339("2026-11-22T02:01:42.123456Z"), Some(1_795_312_902));
        assert_eq!(parse_rfc3339("yesterday"), None);
        assert_eq!(parse_rfc3339("2026-13-22T02:01:42Z"), None);
    }

    #[test]
    fn civil_round_trips() {
        for t in [0, 1_795_312_902, 951_782_400 /* 2000-02-29 */, -86_400] {
            assert_eq!(parse_rfc3339(&format_rfc3339(t)), Some(t), "{t}");
        }
        assert_eq!(format_rfc3339(1_795_312_902), "2026-11-22T02:01:42Z");
        assert_eq!(parse_rfc3339("2026-11-22T02:01:42"), Some(1_795_312_902));
    }
}

/// A duration in seconds as words a person reads at a glance: `8s`, `2m 5s`, `1h 3m`, `2d 4h`.
pub fn duration_words(secs: i64) -> String {
    let s = secs.max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m {}s", s / 60, s % 60),
        3600..86_400 => format!("{}h {}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d {}h", s / 86_400, s % 86_400 / 3600),
    }
}

#[cfg(test)]
mod duration_tests {
    use super::duration_words;

    #[test]
    fn durations_read_at_a_glance() {
        assert_eq!(duration_words(-3), "0s");
        assert_eq!(duration_words(8), "8s");
        assert_eq!(duration_words(125), "2m 5s");
        assert_eq!(duration_words(3780), "1h 3m");
        assert_eq!(duration_words(187_200), "2d 4h");
    }
}
