//! What the handshake settled, as OpenSSL reports it: version, suite, group, the peer's
//! key share and signature scheme, ALPN, the Finished messages, the hello randoms and
//! exported keying material.

use std::os::raw::c_int;
use std::sync::atomic::{AtomicU16, Ordering};

use crate::codes::reason;
use crate::codes::ssl_constants::*;
use crate::config::cipher::{self, SslCipher};
use crate::config::protocol_version;
use crate::libcrypto::error_queue as err;
use crate::session::Tls12Details;
use crate::wire::finished_messages::Negotiated;
use crate::wire::peer_hello::KeyShare;

use super::handshake_scope::HandshakeScope;
use super::{Connection, HandshakeState, Tls};

impl Connection {
    /// `SSL_version`: the negotiated version; before that, TLS 1.3 as OpenSSL's fresh
    /// connection says, and once a client has sent its hello, the highest version it
    /// offered (wpa_supplicant logs it as the handshake goes).
    pub fn version(&self) -> c_int {
        if let Some(v) = self.active().and_then(|c| c.protocol_version()) {
            return protocol_version::wire_value(v);
        }
        if self.server || self.state == HandshakeState::Before {
            return TLS1_3_VERSION;
        }
        let s = &self.settings;
        protocol_version::enabled(s.min_version, s.max_version, s.options, s.method_version)
            .first()
            .map_or(TLS1_3_VERSION, |v| protocol_version::wire_value(v.version))
    }

    pub fn current_cipher(&self) -> Option<&'static SslCipher> {
        if self.state != HandshakeState::Done {
            return None;
        }
        cipher::lookup(self.active()?.negotiated_cipher_suite()?.suite())
    }

    /// The key-exchange group rustls settled on (IANA number).
    pub fn negotiated_group(&self) -> Option<u16> {
        let group = self.active()?.negotiated_key_exchange_group()?;
        Some(u16::from(group.name()))
    }

    /// The peer's ephemeral key share (`SSL_get_peer_tmp_key`). A TLS 1.2 server has
    /// none to report, as in OpenSSL, and neither has a resumption without a key exchange.
    pub fn peer_key_share(&self) -> Option<&KeyShare> {
        if self.server && self.version() != TLS1_3_VERSION {
            return None;
        }
        match &self.peer_hello_reader {
            Some(reader) => reader.share_for(self.negotiated_group()?),
            None => self.peer_hello.share.as_ref(),
        }
    }

    /// The EC point formats the peer's hello listed (`SSL_get0_ec_point_formats`): as in
    /// OpenSSL, only a TLS 1.2 hello's, and not when resuming.
    pub fn peer_point_formats(&self) -> Option<&[u8]> {
        if self.version() != TLS1_2_VERSION || self.session_reused() {
            return None;
        }
        match &self.peer_hello_reader {
            Some(reader) => reader.point_formats(),
            None => self.peer_hello.point_formats.as_deref(),
        }
    }

    /// `SSL_get_secure_renegotiation_support`: whether the peer's hello signalled RFC 5746.
    pub fn peer_secure_renegotiation(&self) -> bool {
        match &self.peer_hello_reader {
            Some(reader) => reader.secure_renegotiation(),
            None => self.peer_hello.secure_renegotiation,
        }
    }

    /// The handshake is over: keeps what the peer's hello said, not the reader.
    pub(super) fn keep_peer_hello(&mut self) {
        let Some(reader) = self.peer_hello_reader.take() else {
            return;
        };
        let group = self.negotiated_group();
        self.peer_hello = reader.into_peer_hello(group);
        if self.server && self.version() != TLS1_3_VERSION {
            self.peer_hello.share = None;
        }
    }

    /// What the handshake settled that opens its Finished records.
    pub(super) fn negotiated(&self) -> Option<Negotiated> {
        let tls = self.active()?;
        Some(Negotiated {
            suite: u16::from(tls.negotiated_cipher_suite()?.suite()),
            tls13: tls.protocol_version() == Some(rustls::ProtocolVersion::TLSv1_3),
            server: self.server,
            client_random: self.client_random().unwrap_or_default(),
            server_random: self.server_random().unwrap_or_default(),
        })
    }

    /// rustls reports a wrong Finished and a record that fails to authenticate alike; the
    /// peer's Finished record, opened again, tells them apart.
    pub(super) fn peer_finished_was_sound(&self) -> bool {
        let (Some(capture), Some(n), Some(scope)) =
            (&self.finished_capture, self.negotiated(), &self.scope)
        else {
            return false;
        };
        let secrets = scope
            .finished_secrets
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        secrets
            .as_deref()
            .is_some_and(|s| capture.peer_finished_opens(&n, s))
    }

    /// The handshake is over: keeps what gives its Finished messages, and gives a TLS 1.2
    /// session its master secret and what the peer's hello said of it.
    pub(super) fn keep_handshake_secrets(&mut self) {
        let secrets = self.scope.as_ref().and_then(|scope| {
            scope
                .finished_secrets
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
        });
        let (Some(n), Some(secrets)) = (self.negotiated(), secrets) else {
            return;
        };
        if let Some(capture) = self.finished_capture.take() {
            self.finished = capture.finish(&n, &secrets);
        }
        let (Some(reader), Some(session)) = (&mut self.peer_hello_reader, &self.session) else {
            return;
        };
        // A resumed session keeps what its first handshake settled.
        if session.tls12_details().is_some() {
            return;
        }
        if let (false, Some(master)) = (n.tls13, secrets.master()) {
            session.set_tls12_details(Tls12Details {
                master_key: master.to_vec(),
                extended_master_secret: reader.extended_master_secret(),
                ticket: reader.take_ticket(),
            });
        }
    }

    /// This side's Finished message (`own`) or the peer's, of the latest handshake.
    pub fn finished(&self, own: bool) -> Option<Vec<u8>> {
        if self.state != HandshakeState::Done {
            return None;
        }
        self.finished.finished(own, &self.negotiated()?)
    }

    /// The (digest, key type) NIDs of the peer's handshake signature, when one was checked
    /// (`SSL_get_peer_signature_nid`, `SSL_get_peer_signature_type_nid`).
    pub fn peer_signature_nids(&self) -> Option<(c_int, c_int)> {
        crate::config::signature_scheme::nids(self.peer_signature_scheme()?)
    }

    /// The (digest, key type) NIDs of this side's own handshake signature, when it made
    /// one (`SSL_get_signature_nid`, `SSL_get_signature_type_nid`).
    pub fn own_signature_nids(&self) -> Option<(c_int, c_int)> {
        let scheme = self.signature_scheme(|s| &s.own_signature, self.own_signature)?;
        crate::config::signature_scheme::nids(scheme)
    }

    /// The signature scheme of the peer's handshake signature, when one was checked.
    pub(super) fn peer_signature_scheme(&self) -> Option<u16> {
        self.signature_scheme(|s| &s.peer_signature, self.peer_signature)
    }

    /// A scheme the handshake scope notes, or the one kept when the scope went.
    fn signature_scheme(
        &self,
        noted: impl Fn(&HandshakeScope) -> &AtomicU16,
        kept: u16,
    ) -> Option<u16> {
        let scheme = self
            .scope
            .as_deref()
            .map_or(kept, |scope| noted(scope).load(Ordering::Relaxed));
        (scheme != 0).then_some(scheme)
    }

    /// A server's handshake scope serves no callback once the handshake is over (a
    /// client's still takes TLS 1.3 tickets): it goes, keeping the peer's signature scheme.
    pub(super) fn release_server_scope(&mut self) {
        if !self.server {
            return;
        }
        if let Some(scope) = self.scope.take() {
            self.peer_signature = scope.peer_signature.load(Ordering::Relaxed);
            self.own_signature = scope.own_signature.load(Ordering::Relaxed);
        }
    }

    pub fn alpn_selected(&self) -> Option<&[u8]> {
        self.active()?.alpn_protocol()
    }

    /// `SSL_export_keying_material` (RFC 5705 / RFC 8446 §7.5): `Err(-1)` before the
    /// handshake is done, `Err(0)` if rustls refuses.
    pub fn export_keying_material(
        &self,
        out: &mut [u8],
        label: &[u8],
        context: Option<&[u8]>,
    ) -> Result<(), c_int> {
        let tls = match self.active() {
            Some(t) if self.state == HandshakeState::Done => t,
            _ => return Err(-1),
        };
        tls.export_keying_material(out, label, context)
            .map(|_| ())
            .map_err(|_| 0)
    }

    /// `SSL_key_update`: new traffic keys for TLS 1.3 (rustls always asks the peer to
    /// update too), sent by the next `SSL_do_handshake` or write. False (reason queued)
    /// for TLS 1.2.
    pub fn key_update(&mut self) -> bool {
        let tls13 = self.version() == TLS1_3_VERSION;
        match &mut self.tls {
            Tls::Active(t) if self.state == HandshakeState::Done && tls13 => {
                t.refresh_traffic_keys().is_ok()
            }
            _ => {
                err::raise_ssl(reason::SSL_R_WRONG_SSL_VERSION);
                false
            }
        }
    }

    /// The ClientHello's random (`SSL_get_client_random`), once it has been sent or received.
    pub fn client_random(&self) -> Option<[u8; 32]> {
        let side = if self.server {
            &self.received_prefix
        } else {
            &self.sent_prefix
        };
        side.random(1)
    }

    /// The ServerHello's random (`SSL_get_server_random`).
    pub fn server_random(&self) -> Option<[u8; 32]> {
        let side = if self.server {
            &self.sent_prefix
        } else {
            &self.received_prefix
        };
        side.random(2)
    }

    /// The suite being negotiated, from the moment it is chosen (`SSL_get_pending_cipher`).
    pub fn pending_cipher(&self) -> Option<&'static SslCipher> {
        cipher::lookup(self.active()?.negotiated_cipher_suite()?.suite())
    }

    /// `SSL_client_version`: on a server, the legacy version of the client's hello; on a
    /// client, the one its hello carries (TLS 1.2 at most: TLS 1.3 is offered in an
    /// extension). Before a hello, the method's version, as OpenSSL reports.
    pub fn client_version(&self) -> c_int {
        const TLS_ANY_VERSION: c_int = 0x10000;
        let before = match self.method.version {
            0 => TLS_ANY_VERSION,
            v => v,
        };
        if self.state == HandshakeState::Before {
            return before;
        }
        if !self.server {
            return TLS1_2_VERSION;
        }
        let received = match &self.peer_hello_reader {
            Some(reader) => reader.client_version(),
            None => self.peer_hello.client_version,
        };
        match received {
            0 => before,
            v => c_int::from(v),
        }
    }
}
