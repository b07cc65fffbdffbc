//! The peer's certificates and the chain verification built (`SSL_get_peer_certificate`,
//! `SSL_get_peer_cert_chain`, `SSL_get0_verified_chain`), and the stacks of this
//! connection's own chain and CA names handed out as libcrypto objects.

use crate::libcrypto::x509::{Certificate, CertificateStack};

use super::Connection;

impl Connection {
    /// The peer's certificate (new reference semantics are the caller's).
    pub fn peer_certificate(&self) -> Option<&Certificate> {
        self.peer_chain.first()
    }

    /// `SSL_get_peer_cert_chain`: the chain as sent; a server's view leaves out the leaf.
    pub fn peer_cert_chain(&mut self) -> Option<&CertificateStack> {
        if self.peer_chain.is_empty() || self.peer_leaf_only {
            return None;
        }
        if self.peer_chain_stack.is_none() {
            let skip = usize::from(self.server);
            self.peer_chain_stack = CertificateStack::new(&self.peer_chain[skip..]);
        }
        self.peer_chain_stack.as_ref()
    }

    /// `SSL_get0_verified_chain`.
    pub fn verified_chain(&self) -> Option<&CertificateStack> {
        self.verified_chain.as_ref()
    }

    /// The chain certificates as a stack the connection owns (valid until the next call).
    pub fn chain_stack(&mut self) -> *mut openssl_sys::stack_st_X509 {
        let chain = self.credentials().chain;
        // No chain is a NULL stack, as in OpenSSL.
        self.chain_stack = CertificateStack::new(&chain).filter(|_| !chain.is_empty());
        self.chain_stack
            .as_ref()
            .map_or(std::ptr::null_mut(), |s| s.as_ptr())
    }

    /// A server's client CA names as a stack it owns (`SSL_get_client_CA_list`).
    /// A server's client CA list (`SSL_get_client_CA_list`); on a client, the CA names the
    /// server's certificate request listed (NULL when none came), as in OpenSSL.
    pub fn client_ca_stack(&mut self) -> *mut crate::libcrypto::name_stack::RawNameStack {
        let names = if self.server {
            self.settings.client_ca_names.clone()
        } else {
            let Some(names) = self.scope.as_ref().and_then(|scope| {
                scope
                    .peer_ca_names
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .clone()
            }) else {
                return std::ptr::null_mut();
            };
            names
        };
        self.client_ca_stack.get(&names)
    }

    /// The connection's CA list as a stack it owns (`SSL_get0_CA_list`); NULL when none
    /// was set.
    pub fn ca_list_stack(&mut self) -> *mut crate::libcrypto::name_stack::RawNameStack {
        match &self.settings.ca_names {
            Some(names) => self.ca_list_stack.get(names),
            None => std::ptr::null_mut(),
        }
    }
}
