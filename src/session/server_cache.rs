//! The server side of OpenSSL's session cache: rustls' session storage, kept by the
//! context as OpenSSL keeps it (`SSL_SESS_CACHE_SERVER`, its size and timeout, the
//! `NO_INTERNAL_*` modes) and opened to the application's external cache through the
//! get and remove callbacks (`SSL_CTX_sess_set_get_cb`, `SSL_CTX_sess_set_remove_cb`);
//! new sessions reach the new-session callback through their connection.
//!
//! rustls stores here what TLS 1.2 resumes by session id and what TLS 1.3 resumes by a
//! stateful ticket (when tickets are off); stateless tickets never touch it.

use std::collections::{HashMap, VecDeque};
use std::os::raw::c_long;
use std::sync::atomic::{AtomicI64, AtomicIsize, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rustls::server::StoresServerSessions;

use crate::codes::ssl_constants::*;
use crate::connection::handshake_scope;
use crate::session::Session;

/// OpenSSL's default cache size (`SSL_SESSION_CACHE_MAX_SIZE_DEFAULT`).
pub const DEFAULT_CACHE_SIZE: c_long = 1024 * 20;

/// The application's external cache, implemented by the FFI layer.
pub trait ExternalSessionCache: Send + Sync {
    /// `get_session_cb`: the session with this id, if the application has it.
    fn get(&self, ssl: usize, id: &[u8]) -> Option<Arc<Session>>;
    /// `remove_session_cb`: the session left the context's cache.
    fn removed(&self, session: &Arc<Session>);
    /// The implementation itself, so that setting one callback keeps the other.
    fn as_any(&self) -> &dyn std::any::Any;
}

/// The session statistics of `SSL_CTX_sess_hits` and friends.
#[derive(Debug, Default)]
pub struct SessionStats {
    /// Resumed handshakes, by cache or ticket (counted by the connection).
    pub hits: AtomicI64,
    pub cb_hits: AtomicI64,
    pub misses: AtomicI64,
    pub timeouts: AtomicI64,
    pub cache_full: AtomicI64,
    pub accept: AtomicI64,
    pub accept_good: AtomicI64,
    pub connect: AtomicI64,
    pub connect_good: AtomicI64,
}

#[derive(Default)]
struct Entries {
    by_id: HashMap<Vec<u8>, Arc<Session>>,
    order: VecDeque<Vec<u8>>,
}

/// See the module documentation.
pub struct ServerSessionCache {
    entries: Mutex<Entries>,
    external: Mutex<Option<Arc<dyn ExternalSessionCache>>>,
    mode: AtomicIsize,
    size: AtomicIsize,
    timeout: AtomicU64,
    pub stats: SessionStats,
}

impl std::fmt::Debug for ServerSessionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerSessionCache").finish_non_exhaustive()
    }
}

impl Default for ServerSessionCache {
    fn default() -> Self {
        Self {
            entries: Mutex::default(),
            external: Mutex::default(),
            mode: AtomicIsize::new(SSL_SESS_CACHE_SERVER as isize),
            size: AtomicIsize::new(DEFAULT_CACHE_SIZE as isize),
            timeout: AtomicU64::new(crate::session::DEFAULT_TIMEOUT_SECS),
            stats: SessionStats::default(),
        }
    }
}

impl ServerSessionCache {
    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn external(&self) -> Option<Arc<dyn ExternalSessionCache>> {
        self.external
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_external(&self, external: Option<Arc<dyn ExternalSessionCache>>) {
        *self.external.lock().unwrap_or_else(|e| e.into_inner()) = external;
    }

    pub fn set_mode(&self, mode: c_long) {
        self.mode.store(mode as isize, Ordering::Relaxed);
    }

    pub fn set_timeout(&self, secs: u64) {
        self.timeout.store(secs, Ordering::Relaxed);
    }

    /// `SSL_CTX_sess_set_cache_size`: returns the previous size (0 means unlimited).
    pub fn set_size(&self, size: c_long) -> c_long {
        self.size.swap(size as isize, Ordering::Relaxed) as c_long
    }

    pub fn size(&self) -> c_long {
        self.size.load(Ordering::Relaxed) as c_long
    }

    /// Whether a session with this id is cached (`SSL_has_matching_session_id`).
    pub fn contains(&self, id: &[u8]) -> bool {
        self.entries().by_id.contains_key(id)
    }

    /// `SSL_CTX_sess_number`.
    pub fn len(&self) -> usize {
        self.entries().by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn mode_has(&self, bit: c_long) -> bool {
        self.mode.load(Ordering::Relaxed) & bit as isize != 0
    }

    /// `SSL_CTX_add_session`: false if it is not a server session or already there.
    pub fn add(&self, session: Arc<Session>) -> bool {
        if session.server_value().is_none() {
            return false;
        }
        if session.timeout() == crate::session::DEFAULT_TIMEOUT_SECS {
            session.set_timeout(self.timeout.load(Ordering::Relaxed));
        }
        let key = session.id();
        let evicted = {
            let mut e = self.entries();
            if e.by_id.contains_key(&key) {
                return false;
            }
            e.by_id.insert(key.clone(), session);
            e.order.push_back(key);
            let limit = self.size();
            let mut evicted = Vec::new();
            while limit > 0 && e.by_id.len() as c_long > limit {
                let Some(old) = e.order.pop_front() else {
                    break;
                };
                evicted.extend(e.by_id.remove(&old));
            }
            evicted
        };
        for s in &evicted {
            self.stats.cache_full.fetch_add(1, Ordering::Relaxed);
            self.notify_removed(s);
        }
        true
    }

    /// Drops a session from the cache (telling the remove callback); true if it was there.
    pub fn remove(&self, id: &[u8]) -> bool {
        let removed = {
            let mut e = self.entries();
            let r = e.by_id.remove(id);
            if r.is_some() {
                e.order.retain(|k| k != id);
            }
            r
        };
        match removed {
            Some(s) => {
                self.notify_removed(&s);
                true
            }
            None => false,
        }
    }

    fn notify_removed(&self, session: &Arc<Session>) {
        if let Some(ext) = self.external() {
            ext.removed(session);
        }
    }

    /// `SSL_CTX_remove_session`: as OpenSSL, the session can no longer be resumed and the
    /// remove callback is told, whether or not the cache held it; true if it did.
    pub fn remove_session(&self, session: &Arc<Session>) -> bool {
        let id = session.id();
        let held = {
            let mut e = self.entries();
            let r = e.by_id.remove(&id);
            if r.is_some() {
                e.order.retain(|k| *k != id);
            }
            r.is_some()
        };
        session.invalidate();
        self.notify_removed(session);
        held
    }

    /// Empties the cache, telling the remove callback of each session (`SSL_CTX_free`).
    /// `SSL_CTX_flush_sessions`: removes the sessions whose lifetime ended before `at`
    /// (seconds since the epoch; 0 removes all), telling the remove callback of each.
    pub fn flush_expired(&self, at: u64) {
        let gone: Vec<Arc<Session>> = {
            let mut e = self.entries();
            let ended = |s: &Session| at == 0 || at > s.created().saturating_add(s.timeout());
            let Entries { by_id, order } = &mut *e;
            order.retain(|id| !by_id.get(id).is_some_and(|s| ended(s)));
            let mut gone = Vec::new();
            by_id.retain(|_, s| {
                let keep = !ended(s);
                if !keep {
                    gone.push(s.clone());
                }
                keep
            });
            gone
        };
        for s in &gone {
            self.notify_removed(s);
        }
    }

    /// The sessions in the cache, oldest first.
    pub fn sessions(&self) -> Vec<Arc<Session>> {
        let e = self.entries();
        e.order
            .iter()
            .filter_map(|id| e.by_id.get(id).cloned())
            .collect()
    }

    /// Empties the cache (`SSL_CTX_free`), telling the remove callback of each session.
    pub fn flush(&self) {
        self.flush_expired(0);
    }

    /// A session by id, counted as OpenSSL counts: from the cache unless
    /// `SSL_SESS_CACHE_NO_INTERNAL_LOOKUP` (a miss there is a miss), else from the
    /// application's get callback; an expired session is a timeout and is dropped.
    fn lookup(&self, id: &[u8], take: bool) -> Option<Vec<u8>> {
        let mut found = None;
        if !self.mode_has(SSL_SESS_CACHE_NO_INTERNAL_LOOKUP) {
            found = self.entries().by_id.get(id).cloned();
            if found.is_none() {
                self.stats.misses.fetch_add(1, Ordering::Relaxed);
            }
        }
        if found.is_none() {
            let scope = handshake_scope::current();
            if let (Some(ext), Some(scope)) = (self.external(), scope) {
                found = ext.get(scope.ssl, id);
                if let Some(s) = &found {
                    self.stats.cb_hits.fetch_add(1, Ordering::Relaxed);
                    if !take && !self.mode_has(SSL_SESS_CACHE_NO_INTERNAL_STORE) {
                        self.add(s.clone());
                    }
                }
            }
        }
        let session = found?;
        if session.expired() {
            self.stats.timeouts.fetch_add(1, Ordering::Relaxed);
            self.remove(id);
            return None;
        }
        let value = session.server_value()?;
        if take {
            self.remove(id);
        }
        Some(value)
    }
}

impl StoresServerSessions for ServerSessionCache {
    fn put(&self, key: Vec<u8>, value: Vec<u8>) -> bool {
        // Without SSL_SESS_CACHE_SERVER new sessions are neither kept nor announced; nor
        // are those a TLS 1.2 ticket stands for (OpenSSL's have no id to cache them under).
        let ticketed = handshake_scope::current()
            .is_some_and(|s| s.ticket_replaces_session_id.load(Ordering::Relaxed));
        if !self.mode_has(SSL_SESS_CACHE_SERVER) || ticketed {
            return false;
        }
        let session = Arc::new(Session::server(&key, value));
        session.set_timeout(self.timeout.load(Ordering::Relaxed));
        if !self.mode_has(SSL_SESS_CACHE_NO_INTERNAL_STORE) {
            self.add(session.clone());
        }
        // The connection stamps it and hands it to the new-session callback.
        crate::session::receive_server_session(session);
        true
    }

    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.lookup(key, false)
    }

    fn take(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.lookup(key, true)
    }

    /// Whether rustls should make sessions to cache (session ids, stateful tickets):
    /// only with `SSL_SESS_CACHE_SERVER`, as an OpenSSL server without it sends none.
    fn can_cache(&self) -> bool {
        self.mode_has(SSL_SESS_CACHE_SERVER)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_the_oldest_beyond_its_size() {
        let cache = ServerSessionCache::default();
        cache.set_size(2);
        for i in 0..3u8 {
            assert!(cache.put(vec![i; 32], vec![i]));
        }
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.get(&[0; 32]), None);
        assert_eq!(cache.get(&[2; 32]), Some(vec![2]));
        assert_eq!(cache.stats.cache_full.load(Ordering::Relaxed), 1);
        assert_eq!(cache.stats.misses.load(Ordering::Relaxed), 1);
        assert_eq!(cache.take(&[2; 32]), Some(vec![2]));
        assert_eq!(cache.get(&[2; 32]), None, "taken once");
    }

    #[test]
    fn expired_sessions_are_not_resumed() {
        let cache = ServerSessionCache::default();
        cache.set_timeout(0);
        cache.put(vec![1; 32], vec![1]);
        std::thread::sleep(std::time::Duration::from_millis(1100));
        assert_eq!(cache.get(&[1; 32]), None);
        assert_eq!(cache.stats.timeouts.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn no_internal_store_keeps_nothing() {
        let cache = ServerSessionCache::default();
        cache.set_mode(SSL_SESS_CACHE_SERVER | SSL_SESS_CACHE_NO_INTERNAL_STORE);
        cache.put(vec![1; 32], vec![1]);
        assert!(cache.is_empty());
    }
}
