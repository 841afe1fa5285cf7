//! A small token bucket per AWS service, so that many concurrent loaders stay under the
//! service's request rate instead of leaning on the SDK's retries.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// Hands out at most `rps` requests per second, with a burst of one second's worth.
///
/// Each caller reserves its slot while holding the lock (the token count may go negative), then
/// sleeps outside it: waiters are served in the order they arrived and no task spins. A caller
/// dropped while sleeping keeps its reservation, which only slows the others by one slot.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    bucket: Option<Mutex<Bucket>>,
}

#[derive(Debug)]
struct Bucket {
    rate: f64,
    capacity: f64,
    tokens: f64,
    updated: Instant,
}

impl Bucket {
    fn new(rps: u32, now: Instant) -> Self {
        let rate = f64::from(rps);
        Self {
            rate,
            capacity: rate,
            tokens: rate,
            updated: now,
        }
    }

    /// Takes one token and says how long to wait before using it.
    fn reserve(&mut self, now: Instant) -> Duration {
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.capacity);
        self.updated = now;
        self.tokens -= 1.0;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-self.tokens / self.rate)
        }
    }
}

impl RateLimiter {
    /// `rps == 0` disables the limiter.
    pub(crate) fn new(rps: u32) -> Self {
        Self {
            bucket: (rps > 0).then(|| Mutex::new(Bucket::new(rps, Instant::now()))),
        }
    }

    /// Waits until the next request may be sent.
    pub(crate) async fn acquire(&self) {
        let Some(bucket) = &self.bucket else {
            return;
        };
        let wait = bucket
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .reserve(Instant::now());
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_bucket_serves_a_burst_then_spaces_requests() {
        let start = Instant::now();
        let mut bucket = Bucket::new(4, start);
        for _ in 0..4 {
            assert_eq!(bucket.reserve(start), Duration::ZERO);
        }
        // The fifth and sixth callers at the same instant queue a quarter second apart.
        assert_eq!(bucket.reserve(start), Duration::from_millis(250));
        assert_eq!(bucket.reserve(start), Duration::from_millis(500));
    }

    #[test]
    fn the_bucket_refills_at_the_rate_and_never_beyond_its_capacity() {
        let start = Instant::now();
        let mut bucket = Bucket::new(2, start);
        bucket.reserve(start);
        bucket.reserve(start);
        assert_eq!(bucket.reserve(start), Duration::from_millis(500));
        // After ten idle seconds only two requests go out at once.
        let later = start + Duration::from_secs(10);
        assert_eq!(bucket.reserve(later), Duration::ZERO);
        assert_eq!(bucket.reserve(later), Duration::ZERO);
        assert_eq!(bucket.reserve(later), Duration::from_millis(500));
    }

    #[tokio::test]
    async fn zero_disables_the_limiter() {
        let limiter = RateLimiter::new(0);
        for _ in 0..1000 {
            limiter.acquire().await;
        }
    }
}
