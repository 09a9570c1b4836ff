//! Prices as people compare them.

use crate::decimal::fixed;

/// USD per GPU-hour from an offer's total hourly price; `None` without GPUs.
pub fn per_gpu_hour(total_hourly: f64, gpu_count: u32) -> Option<f64> {
    (gpu_count > 0 && total_hourly.is_finite()).then(|| total_hourly / f64::from(gpu_count))
}

/// "$1.23" for prices of a dollar or more, "$0.045" below, so cheap offers
/// still differ on screen.
pub fn format_usd(amount: f64) -> String {
    if !amount.is_finite() {
        return "—".to_owned();
    }
    if amount.abs() >= 1.0 || amount == 0.0 {
        format!("${}", fixed(amount, 2))
    } else {
        format!("${}", fixed(amount, 3))
    }
}

/// "80 GB", "1.5 GB": whole numbers without a fraction.
pub fn format_gb(amount: f64) -> String {
    if amount.fract() == 0.0 && amount.abs() < 1e15 {
        format!("{} GB", amount as i64)
    } else {
        format!("{} GB", fixed(amount, 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_gpu_hour_divides_by_count() {
        assert_eq!(per_gpu_hour(16.0, 8), Some(2.0));
        assert_eq!(per_gpu_hour(3.0, 0), None);
        assert_eq!(per_gpu_hour(f64::NAN, 2), None);
    }

    #[test]
    fn gigabytes_drop_empty_fractions() {
        assert_eq!(format_gb(80.0), "80 GB");
        assert_eq!(format_gb(1.5), "1.5 GB");
        assert_eq!(format_gb(0.25), "0.2 GB");
    }

    #[test]
    fn usd_keeps_cents_or_tenths_of_cents() {
        assert_eq!(format_usd(2.0), "$2.00");
        assert_eq!(format_usd(12.345), "$12.35");
        assert_eq!(format_usd(0.045), "$0.045");
        assert_eq!(format_usd(0.0), "$0.00");
        assert_eq!(format_usd(f64::INFINITY), "—");
    }
}
