//! Canonical resource quantities, as the API server rewrites them on write:
//! `0.5` -> `500m`, `1000m` -> `1`, `1024Mi` -> `1Gi`, `1.5Gi` -> `1536Mi`; `2G` stays.

use serde_json::Value;

const BINARY: &[(&str, u32)] = &[("Ki", 1), ("Mi", 2), ("Gi", 3), ("Ti", 4), ("Pi", 5), ("Ei", 6)];
const DECIMAL: &[(&str, i32)] = &[
    ("n", -9),
    ("u", -6),
    ("m", -3),
    ("", 0),
    ("k", 3),
    ("M", 6),
    ("G", 9),
    ("T", 12),
    ("P", 15),
    ("E", 18),
];

/// Parse `digits[.digits]` into (integer mantissa, number of fraction digits).
fn parse_decimal(s: &str) -> Option<(i128, u32)> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 18
    {
        return None;
    }
    let digits = format!("{int}{frac}");
    Some((digits.parse().ok()?, frac.len() as u32))
}

/// The canonical string for a quantity, or `None` when it does not parse.
pub fn canonical(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let (neg, body) = match raw.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, raw.strip_prefix('+').unwrap_or(raw)),
    };
    let split = body
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(body.len());
    let (num, suffix) = body.split_at(split);
    let (mantissa, scale) = parse_decimal(num)?;
    let sign = if neg { "-" } else { "" };
    if let Some(&(_, power)) = BINARY.iter().find(|(s, _)| *s == suffix) {
        let factor = 1024i128.checked_pow(power)?;
        let ten = 10i128.pow(scale);
        let total = mantissa.checked_mul(factor)?;
        if total % ten == 0 {
            let mut value = total / ten;
            if value == 0 {
                return Some("0".into());
            }
            let mut p = 0usize;
            while p < BINARY.len() && value % 1024 == 0 {
                value /= 1024;
                p += 1;
            }
            let suffix = if p == 0 { "" } else { BINARY[p - 1].0 };
            return Some(format!("{sign}{value}{suffix}"));
        }
        return decimal(sign, total, -(scale as i32));
    }
    let exp = if let Some(&(_, e)) = DECIMAL.iter().find(|(s, _)| *s == suffix) {
        e
    } else if let Some(e) = suffix.strip_prefix(['e', 'E']) {
        e.parse::<i32>().ok()?
    } else {
        return None;
    };
    decimal(sign, mantissa, exp - scale as i32)
}

fn decimal(sign: &str, mut mantissa: i128, mut exp: i32) -> Option<String> {
    if mantissa == 0 {
        return Some("0".into());
    }
    while mantissa % 10 == 0 && exp < 18 {
        mantissa /= 10;
        exp += 1;
    }
    if exp < -9 {
        // Below nano precision the server rounds up.
        let div = 10i128.checked_pow((-9 - exp) as u32)?;
        mantissa = (mantissa + div - 1) / div;
        exp = -9;
    }
    let e3 = exp.div_euclid(3) * 3;
    let e3 = e3.min(18);
    let value = mantissa.checked_mul(10i128.checked_pow((exp - e3) as u32)?)?;
    let suffix = DECIMAL.iter().find(|(_, e)| *e == e3).map(|(s, _)| *s)?;
    Some(format!("{sign}{value}{suffix}"))
}

/// Rewrite a quantity value in place (numbers become strings); leaves unparsable input alone.
pub fn canonicalize(v: &mut Value) {
    let raw = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return,
    };
    if let Some(c) = canonical(&raw) {
        *v = Value::String(c);
    }
}

/// Canonicalise every value of a `requests`/`limits`-style map.
pub fn canonicalize_map(v: Option<&mut Value>) {
    if let Some(Value::Object(m)) = v {
        m.values_mut().for_each(canonicalize);
    }
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn matches_the_corpus() {
        for (input, want) in [
            ("0.5", "500m"),
            ("1000m", "1"),
            ("1024Mi", "1Gi"),
            ("1.5Gi", "1536Mi"),
            ("2048Mi", "2Gi"),
            ("2G", "2G"),
            ("4096M", "4096M"),
            ("10Gi", "10Gi"),
            ("512Mi", "512Mi"),
            ("2", "2"),
            ("100m", "100m"),
            ("1.5", "1500m"),
        ] {
            assert_eq!(canonical(input).as_deref(), Some(want), "{input}");
        }
        assert_eq!(canonical("lots"), None);
    }
}
