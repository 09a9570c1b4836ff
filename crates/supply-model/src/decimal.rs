//! Numbers written as text without core's float formatting (`{:.2}`,
//! `{}` or `to_string` on an `f64`). That formatter and its tables weigh
//! about 12 KB of wasm, and any one use keeps it in every page's download;
//! the console formats its figures here instead.

/// `value` with `places` decimals (up to 6), rounded on its exact binary
/// value with a half going to the even digit: what `format!("{value:.2}")`
/// writes, digit for digit, except that a value rounding to zero loses its
/// sign ("0.00", never "-0.00"). From 10^12 on, the shortest form.
pub fn fixed(value: f64, places: u32) -> String {
    if !value.is_finite() {
        return non_finite(value);
    }
    let places = places.min(6);
    let scale = 10_u64.pow(places);
    let Some(units) = scaled_units(value.abs(), scale) else {
        return shortest(value);
    };
    let sign = if value < 0.0 && units != 0 { "-" } else { "" };
    let (whole, fraction) = (units / scale, units % scale);
    if places == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction:0width$}", width = places as usize)
    }
}

/// `abs × scale` rounded to a whole number, exactly: the f64 is
/// `mantissa × 2^exponent`, so the product is an integer shifted right,
/// and what the shift drops decides the rounding. `None` from 10^12 on.
fn scaled_units(abs: f64, scale: u64) -> Option<u64> {
    if abs >= 1e12 {
        return None;
    }
    let bits = abs.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (mantissa, exponent) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    };
    // Below 10^12 the exponent is negative; the product is below 2^83.
    let product = u128::from(mantissa) * u128::from(scale);
    let shift = u32::try_from(-exponent).ok()?;
    if shift >= 127 {
        return Some(0);
    }
    let quotient = product >> shift;
    let dropped = product & ((1_u128 << shift) - 1);
    let half = 1_u128 << (shift - 1);
    let up = dropped > half || (dropped == half && quotient & 1 == 1);
    u64::try_from(quotient + u128::from(up)).ok()
}

/// The shortest text that reads back as the same `f64`, in plain decimal
/// as `format!("{value}")` writes it (the last digit may differ where two
/// are equally near): "2.5", "0.1", "0.0000001", never an
/// exponent (YAML 1.1 readers take `1e-7` for a string); a whole number
/// has no fraction ("3", not "3.0").
pub fn shortest(value: f64) -> String {
    if !value.is_finite() {
        return non_finite(value);
    }
    if value.fract() == 0.0 && value.abs() < 1e15 {
        return (value as i64).to_string();
    }
    // serde_json's float writer is in the console anyway; it may answer
    // with an exponent, which is spelled out here.
    let text = serde_json::Number::from_f64(value)
        .map_or_else(|| non_finite(value), |n| without_exponent(&n.to_string()));
    // Whole numbers from 10^15 on come as "…1.0".
    match text.strip_suffix(".0") {
        Some(whole) => whole.to_owned(),
        None => text,
    }
}

/// "1.5e-7" as "0.00000015", "1e+20" as "100000000000000000000".
fn without_exponent(text: &str) -> String {
    let Some((mantissa, exponent)) = text.split_once(['e', 'E']) else {
        return text.to_owned();
    };
    let Ok(exponent) = exponent.parse::<i32>() else {
        return text.to_owned();
    };
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(unsigned) => ("-", unsigned),
        None => ("", mantissa),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{fraction}");
    let point = whole.len() as i32 + exponent;
    match usize::try_from(point) {
        Err(_) | Ok(0) => format!(
            "{sign}0.{}{digits}",
            "0".repeat(point.unsigned_abs() as usize)
        ),
        Ok(at) => match digits.split_at_checked(at) {
            Some((int, frac)) if !frac.is_empty() => format!("{sign}{int}.{frac}"),
            _ => format!(
                "{sign}{digits}{}",
                "0".repeat(at.saturating_sub(digits.len()))
            ),
        },
    }
}

fn non_finite(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value > 0.0 {
        "inf".to_owned()
    } else {
        "-inf".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_matches_the_standard_formatter_over_prices_sizes_and_costs() {
        // A deterministic spread of values: cents, fractions of a cent,
        // large totals, negatives, and exact halves.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let raw = next();
            let magnitude = 10_f64.powi((raw % 12) as i32 - 4);
            let value = (next() % 1_000_000) as f64 / 1_000_000.0 * magnitude;
            let value = if raw % 5 == 0 { -value } else { value };
            let value = if raw % 7 == 0 {
                (value * 8.0).round() / 8.0
            } else {
                value
            };
            for places in 0..=6_u32 {
                let want = format!("{value:.p$}", p = places as usize);
                // The one difference: no "-0.00".
                let want = match want.strip_prefix('-') {
                    Some(zero) if zero.bytes().all(|b| b == b'0' || b == b'.') => zero.to_owned(),
                    _ => want,
                };
                assert_eq!(fixed(value, places), want, "{value} to {places} places");
            }
        }
    }

    #[test]
    fn fixed_writes_what_people_read() {
        assert_eq!(fixed(12.3, 2), "12.30");
        assert_eq!(fixed(0.045, 3), "0.045");
        assert_eq!(fixed(1.005, 0), "1");
        assert_eq!(fixed(1234.56789, 4), "1234.5679");
        assert_eq!(fixed(-2.5, 1), "-2.5");
        assert_eq!(fixed(-0.0001, 2), "0.00");
        assert_eq!(fixed(0.0, 2), "0.00");
        assert_eq!(fixed(f64::NAN, 2), "NaN");
        assert_eq!(fixed(f64::INFINITY, 2), "inf");
        assert_eq!(fixed(1e20, 2), "100000000000000000000");
        assert_eq!(fixed(999_999_999_999.99, 2), "999999999999.99");
        assert_eq!(fixed(0.25, 1), "0.2");
        assert_eq!(fixed(0.35, 1), "0.3");
        assert_eq!(fixed(12.345, 2), "12.35");
        assert_eq!(fixed(5e-324, 2), "0.00");
    }

    #[test]
    fn shortest_reads_back_as_the_same_number() {
        for value in [0.1, 2.5, 1.0 / 3.0, 123_456.789, 1e-7, 4.35, 0.000_1, 1e300] {
            let text = shortest(value);
            assert_eq!(text.parse::<f64>(), Ok(value), "{text}");
        }
        assert_eq!(shortest(3.0), "3");
        assert_eq!(shortest(-40.0), "-40");
        assert_eq!(shortest(2.5), "2.5");
        assert_eq!(shortest(0.1), "0.1");
        assert_eq!(shortest(f64::NEG_INFINITY), "-inf");
        assert_eq!(shortest(1.5e-7), "0.00000015");
        assert_eq!(shortest(-1e20), "-100000000000000000000");
        assert_eq!(shortest(1.25e16), "12500000000000000");
    }

    #[test]
    fn shortest_is_as_short_as_the_standard_formatter_and_plain() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            // Any finite f64 but -0 (the standard formatter writes "-0").
            let value = f64::from_bits(seed);
            if !value.is_finite() || value == 0.0 {
                continue;
            }
            // As short as the standard's, plain decimal, and the same
            // number read back; where two shortest texts are equally near
            // the two writers may pick either.
            let (text, standard) = (shortest(value), format!("{value}"));
            assert_eq!(
                text.len(),
                standard.len(),
                "{value:e}: {text} vs {standard}"
            );
            assert!(!text.contains('e'), "{text}");
            assert_eq!(text.parse::<f64>(), Ok(value), "{text}");
        }
        for value in [0.1, 2.5, 1e-7, 1.5e-7, 1e20, 123_456.789, 1e15, 4.35e-5] {
            assert_eq!(shortest(value), format!("{value}"));
        }
    }
}
