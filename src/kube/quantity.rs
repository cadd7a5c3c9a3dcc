//! Kubernetes resource quantities, canonicalised the way the apiserver stores them
//! (`k8s.io/apimachinery/pkg/api/resource`): `0.5` -> `500m`, `1000m` -> `1`,
//! `1024Mi` -> `1Gi`, `1.5Gi` -> `1536Mi`, while `2G` and `4096M` stay as written.
//!
//! A quantity is held exactly as `mantissa × 10^exp10` plus the format of its suffix, so
//! no floating point is involved.

/// The suffix family a quantity was written in; the canonical form keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// `Ki`, `Mi`, `Gi`, …
    BinarySi,
    /// `m`, `k`, `M`, `G`, … or none.
    DecimalSi,
    /// `1e3`, `5E-2`.
    DecimalExponent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Quantity {
    mantissa: i128,
    exp10: i32,
    format: Format,
}

const DECIMAL_SUFFIXES: [(&str, i32); 9] = [
    ("n", -9),
    ("u", -6),
    ("m", -3),
    ("", 0),
    ("k", 3),
    ("M", 6),
    ("G", 9),
    ("T", 12),
    ("P", 15),
];
const BINARY_SUFFIXES: [(&str, u32); 6] = [("Ki", 1), ("Mi", 2), ("Gi", 3), ("Ti", 4), ("Pi", 5), ("Ei", 6)];

/// The canonical text the apiserver would store for `text`, or `None` if `text` is not a
/// quantity (or is too large to handle exactly).
pub fn canonical(text: &str) -> Option<String> {
    parse(text.trim()).and_then(|q| q.canonical())
}

/// Whether two quantity texts denote the same stored value.
pub fn same(a: &str, b: &str) -> bool {
    a == b || matches!((canonical(a), canonical(b)), (Some(x), Some(y)) if x == y)
}

fn parse(s: &str) -> Option<Quantity> {
    let (negative, rest) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let num_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let (number, suffix) = rest.split_at(num_end);
    let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let mut mantissa: i128 = 0;
    for c in int_part.chars().chain(frac_part.chars()) {
        mantissa = mantissa
            .checked_mul(10)?
            .checked_add(i128::from(c.to_digit(10)?))?;
    }
    let mut exp10 = -i32::try_from(frac_part.len()).ok()?;
    let format;
    if let Some((_, e)) = DECIMAL_SUFFIXES.iter().find(|(sfx, _)| *sfx == suffix) {
        exp10 = exp10.checked_add(*e)?;
        format = Format::DecimalSi;
    } else if suffix == "E" {
        exp10 = exp10.checked_add(18)?;
        format = Format::DecimalSi;
    } else if let Some((_, power)) = BINARY_SUFFIXES.iter().find(|(sfx, _)| *sfx == suffix) {
        mantissa = mantissa.checked_mul(1i128.checked_shl(10 * power)?)?;
        format = Format::BinarySi;
    } else if let Some(e) = suffix.strip_prefix(['e', 'E']) {
        exp10 = exp10.checked_add(e.parse::<i32>().ok()?)?;
        format = Format::DecimalExponent;
    } else {
        return None;
    }
    if negative {
        mantissa = -mantissa;
    }
    let mut q = Quantity {
        mantissa,
        exp10,
        format,
    };
    q.round_up_to_nano();
    // Values in (-1, 1) written in binary form are shown as decimal (as the server does).
    if q.format == Format::BinarySi && q.abs_below(1) {
        q.format = Format::DecimalSi;
    }
    Some(q)
}

impl Quantity {
    /// The server rounds anything finer than nano up, so a tiny request stays non-zero.
    fn round_up_to_nano(&mut self) {
        // Far below nano (more digits than an i128 holds): the value rounds up to ±1n.
        if self.exp10 < -9 - 40 {
            self.mantissa = self.mantissa.signum();
            self.exp10 = -9;
        }
        while self.exp10 < -9 {
            let rem = self.mantissa % 10;
            self.mantissa /= 10;
            if rem > 0 {
                self.mantissa += 1;
            } else if rem < 0 {
                // Round away from zero for negatives too (inf.RoundUp).
                self.mantissa -= 1;
            }
            self.exp10 += 1;
        }
    }

    /// Whether |value| < n.
    fn abs_below(&self, n: i128) -> bool {
        match self.as_integer() {
            Some(v) => v.abs() < n,
            // A fractional value: compare the integer part (too large to tell: not below).
            None if self.exp10 < 0 => match 10i128.checked_pow(self.exp10.unsigned_abs()) {
                Some(d) => self.mantissa.abs() / d < n,
                None => true,
            },
            None => false,
        }
    }

    /// The exact integer value, if the quantity is integral and fits.
    fn as_integer(&self) -> Option<i128> {
        if self.exp10 >= 0 {
            self.mantissa
                .checked_mul(10i128.checked_pow(self.exp10.unsigned_abs())?)
        } else {
            let d = 10i128.checked_pow(self.exp10.unsigned_abs())?;
            (self.mantissa % d == 0).then_some(self.mantissa / d)
        }
    }

    fn canonical(&self) -> Option<String> {
        if self.mantissa == 0 {
            return Some("0".into());
        }
        let mut format = self.format;
        if format == Format::BinarySi {
            // Below 1024 in magnitude, or not an integer: shown as decimal so nothing is lost.
            match self.as_integer() {
                Some(v) if v.abs() >= 1024 => return Some(binary_text(v)),
                _ => format = Format::DecimalSi,
            }
        }
        // Strip factors of ten, then lower the exponent to a multiple of three.
        let (mut m, mut e) = (self.mantissa, self.exp10);
        while m % 10 == 0 {
            m /= 10;
            e += 1;
        }
        while e.rem_euclid(3) != 0 {
            m = m.checked_mul(10)?;
            e -= 1;
        }
        let suffix = match format {
            Format::DecimalExponent if e == 0 => String::new(),
            Format::DecimalExponent => format!("e{e}"),
            _ => match DECIMAL_SUFFIXES.iter().find(|(_, x)| *x == e) {
                Some((sfx, _)) => (*sfx).to_string(),
                None if e == 18 => "E".into(),
                None => format!("e{e}"),
            },
        };
        Some(format!("{m}{suffix}"))
    }
}

/// An integer of at least 1024 in the largest binary suffix that divides it exactly.
fn binary_text(v: i128) -> String {
    let mut m = v;
    let mut power = 0usize;
    while power < BINARY_SUFFIXES.len() && m % 1024 == 0 {
        m /= 1024;
        power += 1;
    }
    let suffix = if power == 0 {
        ""
    } else {
        BINARY_SUFFIXES[power - 1].0
    };
    format!("{m}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> String {
        canonical(s).unwrap_or_else(|| format!("<not a quantity: {s}>"))
    }

    #[test]
    fn corpus_quantities_canonicalise_like_the_apiserver() {
        assert_eq!(c("0.5"), "500m");
        assert_eq!(c("1024Mi"), "1Gi");
        assert_eq!(c("2G"), "2G");
        assert_eq!(c("1000m"), "1");
        assert_eq!(c("1.5Gi"), "1536Mi");
        assert_eq!(c("4096M"), "4096M");
        assert_eq!(c("2048Mi"), "2Gi");
        assert_eq!(c("250m"), "250m");
        assert_eq!(c("512Mi"), "512Mi");
        assert_eq!(c("10Gi"), "10Gi");
    }

    #[test]
    fn decimal_forms() {
        assert_eq!(c("4000M"), "4G");
        assert_eq!(c("1"), "1");
        assert_eq!(c("100"), "100");
        assert_eq!(c("1500m"), "1500m");
        assert_eq!(c("0.1"), "100m");
        assert_eq!(c("1k"), "1k");
        assert_eq!(c("1000"), "1k");
        assert_eq!(c("0"), "0");
        assert_eq!(c("0Gi"), "0");
        assert_eq!(c("-1.5"), "-1500m");
        assert_eq!(c("1E"), "1E");
    }

    #[test]
    fn binary_forms() {
        assert_eq!(c("1024Ki"), "1Mi");
        assert_eq!(c("1000Ki"), "1000Ki");
        assert_eq!(c("0.5Gi"), "512Mi");
        // Below 1024 a binary quantity is shown as decimal.
        assert_eq!(c("0.5Ki"), "512");
        // Not an integer number of bytes: decimal, exactly.
        assert_eq!(c("1.1Ki"), "1126400m");
    }

    #[test]
    fn exponent_forms() {
        assert_eq!(c("1e3"), "1e3");
        assert_eq!(c("12e2"), "1200");
        assert_eq!(c("5E-2"), "50e-3");
    }

    #[test]
    fn sub_nano_rounds_up() {
        assert_eq!(c("0.0000000001"), "1n");
        assert_eq!(c("1.0000000001"), "1000000001n");
    }

    #[test]
    fn extreme_exponents_neither_panic_nor_hang() {
        assert_eq!(c("1.5e-2147483648"), "<not a quantity: 1.5e-2147483648>");
        assert_eq!(c("1e-2147483647"), "1e-9");
        assert_eq!(c("1e-200"), "1e-9");
        assert!(canonical("1e2147483647").is_some());
        assert_eq!(canonical("99999999999999999999999999999999999999999999"), None);
        assert_eq!(c("1e-200Ki"), "<not a quantity: 1e-200Ki>");
    }

    #[test]
    fn not_quantities() {
        for s in ["", "abc", "1.2.3", "5Xi", ".", "1 Gi", "Gi"] {
            assert_eq!(canonical(s), None, "{s}");
        }
    }

    #[test]
    fn same_compares_values_in_the_same_format() {
        assert!(same("1000m", "1"));
        assert!(same("1.5Gi", "1536Mi"));
        assert!(!same("1Gi", "1G"));
        assert!(!same("2", "1"));
    }
}
