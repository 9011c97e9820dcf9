//! Unit tests of `runtime/pace.rs`: the turns a pace hands out, at given instants.

use std::time::Duration;

use tokio::time::Instant;

use crate::runtime::pace::Pace;

/// Milliseconds.
fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// The waits of `n` requests asked for at once.
fn waits_at_once(pace: &Pace, now: Instant, n: u32) -> Vec<Duration> {
    (0..n).map(|_| pace.take_turn(now)).collect()
}

#[test]
fn requests_asked_at_once_are_spaced_one_interval_apart() {
    let pace = Pace::per_second(20);
    assert_eq!(pace.interval(), ms(50));
    let waits = waits_at_once(&pace, Instant::now(), 4);
    assert_eq!(waits, [ms(0), ms(50), ms(100), ms(150)]);
}

#[test]
fn a_burst_goes_at_once_then_the_average_rate_holds() {
    let pace = Pace::per_second(10).burst(3);
    let now = Instant::now();
    let waits = waits_at_once(&pace, now, 6);
    assert_eq!(waits, [ms(0), ms(0), ms(0), ms(100), ms(200), ms(300)]);
    // After a quiet spell as long as the burst, a full burst again.
    let later = now + Duration::from_millis(300) + Duration::from_millis(300);
    assert_eq!(waits_at_once(&pace, later, 4), [ms(0), ms(0), ms(0), ms(100)]);
}

#[test]
fn requests_that_come_slower_than_the_pace_never_wait() {
    let pace = Pace::per_second(10);
    let start = Instant::now();
    for n in 0..5 {
        assert_eq!(pace.take_turn(start + Duration::from_millis(150 * n)), Duration::ZERO);
    }
}

#[test]
fn in_any_window_no_more_than_the_burst_plus_the_rate_go() {
    // Requests asked at uneven times: the times they go never exceed the budget.
    let pace = Pace::per_second(50).burst(5);
    let start = Instant::now();
    let asked: Vec<Instant> = (0..200u64).map(|n| start + Duration::from_millis((n * n * 7) % 1500)).collect();
    let mut sorted = asked.clone();
    sorted.sort();
    let mut sent: Vec<Instant> = sorted.iter().map(|at| *at + pace.take_turn(*at)).collect();
    sent.sort();
    for (i, first) in sent.iter().enumerate() {
        for window in [Duration::from_millis(20), Duration::from_millis(100), Duration::from_secs(1)] {
            let count = sent[i..].iter().take_while(|at| **at < *first + window).count() as u128;
            let budget = 5 + window.as_millis() / pace.interval().as_millis();
            assert!(count <= budget, "{count} requests within {window:?} of a paced start, budget {budget}");
        }
    }
}

#[test]
fn clones_share_one_budget_and_zero_counts_as_one() {
    let pace = Pace::new(0, Duration::from_secs(2)).burst(0);
    assert_eq!(pace.interval(), Duration::from_secs(2));
    let clone = pace.clone();
    let now = Instant::now();
    assert_eq!(pace.take_turn(now), Duration::ZERO);
    assert_eq!(clone.take_turn(now), Duration::from_secs(2), "the clone waits for the original's turn");
    assert_eq!(Pace::per_minute(120).interval(), Duration::from_millis(500));
    assert_eq!(Pace::new(1, Duration::MAX).interval(), Duration::from_secs(24 * 60 * 60), "at most a day");
}
