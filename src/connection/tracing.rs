//! The connection's side of the handshake trace: telling the tracer how each step
//! ended, writing diagrams where `FERROSSL_TRACE` says, and the state `SSL_get_state`
//! reports to the info callback.

use std::os::raw::c_int;

use crate::libcrypto::error_queue as err;
use crate::trace::sequence_diagram;
use crate::trace::{trace_output, Notification};

use super::{Connection, HandshakeState};

impl Connection {
    /// Tells the trace how a handshake step ended; a handshake that completed or failed
    /// gets its diagram written where `FERROSSL_TRACE` says.
    pub(super) fn trace_handshake_step(&mut self, ret: c_int) {
        let state = self.state;
        let verify = (!self.server || !self.peer_chain.is_empty()).then(|| {
            let code = self.verify_result;
            (code, crate::libcrypto::store::verify_result_text(code))
        });
        let resumed = self.session_reused();
        let Some(t) = self.trace.as_deref_mut() else {
            return;
        };
        match state {
            HandshakeState::Done => {
                t.handshake_done();
                t.outcome.completed = true;
                t.outcome.resumed = resumed;
                t.outcome.verify = verify;
            }
            HandshakeState::Failed => {
                t.handshake_returned(ret, true);
                t.outcome.failed = true;
                t.outcome.verify = verify.filter(|(code, _)| *code != 0);
                t.outcome.error = err::first_reason_text();
            }
            _ => {
                t.handshake_returned(ret, false);
                return;
            }
        }
        self.write_diagram(true);
    }

    /// Writes this connection's diagram for `FERROSSL_TRACE`.
    pub(super) fn write_diagram(&mut self, first: bool) {
        let Some(t) = self.trace.as_deref_mut() else {
            return;
        };
        trace_output::emit(&t.diagram_input(), self.trace_number, first);
        self.trace_written = Some(t.messages.len());
    }

    /// The notifications for the application's observer callbacks, oldest first.
    pub fn take_notifications(&mut self) -> Vec<Notification> {
        match self.trace.as_deref_mut() {
            Some(t) => t.take_notifications(),
            None => Vec::new(),
        }
    }

    /// The state an info callback that is running should see (`None` when it returns).
    pub fn set_reported_state(&mut self, state: Option<(c_int, bool)>) {
        self.reported_state = state;
    }

    /// `SSL_get_state` (an `OSSL_HANDSHAKE_STATE`) and whether the connection is in
    /// error, for `SSL_state_string`.
    pub fn handshake_state(&self) -> (c_int, bool) {
        use crate::trace::openssl_state::st;
        if let Some(s) = self.reported_state {
            return s;
        }
        let failed = self.state == HandshakeState::Failed;
        if let Some(t) = &self.trace {
            let (s, error) = t.state();
            return (s, error || failed);
        }
        let s = match self.state {
            HandshakeState::Before => st::TLS_ST_BEFORE,
            HandshakeState::Done => st::TLS_ST_OK,
            HandshakeState::Handshaking | HandshakeState::Failed => {
                if self.server {
                    st::TLS_ST_SR_CLNT_HELLO
                } else {
                    st::TLS_ST_CW_CLNT_HELLO
                }
            }
        };
        (s, failed)
    }

    /// The diagram of this connection's handshake (SVG if `svg`), if it was traced.
    pub fn diagram(&mut self, svg: bool) -> Option<String> {
        let t = self.trace.as_deref_mut()?;
        t.pump(false);
        let input = t.diagram_input();
        Some(if svg {
            sequence_diagram::svg(&input)
        } else {
            sequence_diagram::text(&input)
        })
    }
}
