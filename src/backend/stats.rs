use std::collections::BTreeMap;
use std::sync::Mutex;

/// Requests made per operation: `--stats` prints it and the performance work measures with it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestStats {
    pub per_operation: BTreeMap<String, u64>,
}

impl RequestStats {
    pub fn total(&self) -> u64 {
        self.per_operation.values().sum()
    }

    /// The requests made since `before` was taken from the same counter.
    pub fn since(&self, before: &RequestStats) -> RequestStats {
        let per_operation = self
            .per_operation
            .iter()
            .map(|(op, n)| (op.clone(), n.saturating_sub(before.get(op))))
            .filter(|(_, n)| *n > 0)
            .collect();
        RequestStats { per_operation }
    }

    pub fn get(&self, operation: &str) -> u64 {
        self.per_operation.get(operation).copied().unwrap_or(0)
    }
}

/// A thread-safe counter the backends share.
#[derive(Debug, Default)]
pub struct RequestCounter(Mutex<BTreeMap<String, u64>>);

impl RequestCounter {
    pub fn count(&self, operation: &str) {
        if let Ok(mut map) = self.0.lock() {
            *map.entry(operation.to_string()).or_default() += 1;
        }
    }

    pub fn snapshot(&self) -> RequestStats {
        RequestStats {
            per_operation: self.0.lock().map(|m| m.clone()).unwrap_or_default(),
        }
    }
}
