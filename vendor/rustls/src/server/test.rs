use alloc::boxed::Box;
use alloc::vec;

use super::ServerConnectionData;
use crate::common_state::Context;
use crate::enums::{CipherSuite, SignatureScheme};
use crate::msgs::base::PayloadU16;
use crate::msgs::enums::{Compression, NamedGroup};
use crate::msgs::handshake::{
    ClientExtensions, ClientHelloPayload, HandshakeMessagePayload, HandshakePayload, KeyShareEntry,
    Random, ServerNamePayload, SessionId, SupportedProtocolVersions,
};
use crate::msgs::message::{Message, MessagePayload};
use crate::{CommonState, Error, PeerIncompatible, PeerMisbehaved, ProtocolVersion, Side};

#[test]
fn null_compression_required() {
    assert_eq!(
        test_process_client_hello(ClientHelloPayload {
            compression_methods: vec![],
            ..minimal_client_hello()
        }),
        Err(PeerIncompatible::NullCompressionRequired.into()),
    );
}

#[test]
fn server_ignores_sni_with_ip_address() {
    let mut ch = minimal_client_hello();
    ch.extensions.server_name = Some(ServerNamePayload::IpAddress);
    std::println!("{:?}", ch.extensions);
    assert_eq!(test_process_client_hello(ch), Ok(()));
}

#[test]
fn server_rejects_sni_with_illegal_dns_name() {
    let mut ch = minimal_client_hello();
    ch.extensions.server_name = Some(ServerNamePayload::Invalid);
    std::println!("{:?}", ch.extensions);
    assert_eq!(
        test_process_client_hello(ch),
        Err(PeerMisbehaved::ServerNameMustContainOneHostName.into())
    );
}

fn test_process_client_hello(hello: ClientHelloPayload) -> Result<(), Error> {
    let m = Message {
        version: ProtocolVersion::TLSv1_2,
        payload: MessagePayload::handshake(HandshakeMessagePayload(HandshakePayload::ClientHello(
            hello,
        ))),
    };
    super::hs::process_client_hello(
        &m,
        false,
        &mut Context {
            common: &mut CommonState::new(Side::Server),
            data: &mut ServerConnectionData::default(),
            sendable_plaintext: None,
        },
    )
    .map(|_| ())
}

#[macro_rules_attribute::apply(test_for_each_provider)]
mod tests {
    use alloc::vec::Vec;

    use super::super::*;
    use crate::client::danger::{
        HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier,
    };
    use crate::client::{ClientConfig, ClientConnection};
    use crate::common_state::KxState;
    use crate::crypto::{
        ActiveKeyExchange, CryptoProvider, KeyExchangeAlgorithm, SupportedKxGroup,
    };
    use crate::enums::CertificateType;
    use crate::msgs::codec::{Codec, Reader};
    use crate::msgs::handshake::{
        PresharedKeyBinder, PresharedKeyIdentity, PresharedKeyOffer, PskKeyExchangeModes,
    };
    use crate::msgs::message::HEADER_SIZE;
    use crate::msgs::persist;
    use crate::pki_types::pem::PemObject;
    use crate::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
    use crate::server::{AlwaysResolvesServerRawPublicKeys, ServerConfig, ServerConnection};
    use crate::sign::CertifiedKey;
    use crate::sync::Arc;
    use crate::tls13::key_schedule::KeyScheduleEarly;
    use crate::{
        CipherSuiteCommon, DigitallySignedStruct, SupportedCipherSuite, Tls12CipherSuite,
        Tls13CipherSuite, version,
    };

    #[cfg(feature = "tls12")]
    #[test]
    fn test_server_rejects_no_extended_master_secret_extension_when_require_ems_or_fips() {
        let provider = super::provider::default_provider();
        let mut config = ServerConfig::builder_with_provider(provider.into())
            .with_protocol_versions(&[&version::TLS12])
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(server_cert(), server_key())
            .unwrap();

        if config.provider.fips() {
            assert!(config.require_ems);
        } else {
            config.require_ems = true;
        }
        let mut conn = ServerConnection::new(config.into()).unwrap();

        let mut ch = minimal_client_hello();
        ch.extensions
            .extended_master_secret_request
            .take();
        let ch = Message {
            version: ProtocolVersion::TLSv1_3,
            payload: MessagePayload::handshake(HandshakeMessagePayload(
                HandshakePayload::ClientHello(ch),
            )),
        };
        conn.read_tls(&mut ch.into_wire_bytes().as_slice())
            .unwrap();

        assert_eq!(
            conn.process_new_packets(),
            Err(Error::PeerIncompatible(
                PeerIncompatible::ExtendedMasterSecretExtensionRequired
            ))
        );
    }

    #[cfg(feature = "tls12")]
    #[test]
    fn server_picks_ffdhe_group_when_clienthello_has_no_ffdhe_group_in_groups_ext() {
        let config = ServerConfig::builder_with_provider(ffdhe_provider().into())
            .with_protocol_versions(&[&version::TLS12])
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(server_cert(), server_key())
            .unwrap();

        let mut ch = minimal_client_hello();
        ch.cipher_suites
            .push(TLS_DHE_RSA_WITH_AES_128_GCM_SHA256.suite());

        server_chooses_ffdhe_group_for_client_hello(
            ServerConnection::new(config.into()).unwrap(),
            ch,
        );
    }

    #[cfg(feature = "tls12")]
    #[test]
    fn server_picks_ffdhe_group_when_clienthello_has_no_groups_ext() {
        let config = ServerConfig::builder_with_provider(ffdhe_provider().into())
            .with_protocol_versions(&[&version::TLS12])
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(server_cert(), server_key())
            .unwrap();

        let mut ch = minimal_client_hello();
        ch.cipher_suites
            .push(TLS_DHE_RSA_WITH_AES_128_GCM_SHA256.suite());
        ch.extensions.named_groups.take();

        server_chooses_ffdhe_group_for_client_hello(
            ServerConnection::new(config.into()).unwrap(),
            ch,
        );
    }

    #[cfg(feature = "tls12")]
    #[test]
    fn server_accepts_client_with_no_ecpoints_extension_and_only_ffdhe_cipher_suites() {
        let config = ServerConfig::builder_with_provider(ffdhe_provider().into())
            .with_protocol_versions(&[&version::TLS12])
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(server_cert(), server_key())
            .unwrap();

        let mut ch = minimal_client_hello();
        ch.cipher_suites
            .push(TLS_DHE_RSA_WITH_AES_128_GCM_SHA256.suite());
        ch.extensions.ec_point_formats.take();

        server_chooses_ffdhe_group_for_client_hello(
            ServerConnection::new(config.into()).unwrap(),
            ch,
        );
    }

    fn server_chooses_ffdhe_group_for_client_hello(
        mut conn: ServerConnection,
        client_hello: ClientHelloPayload,
    ) {
        let ch = Message {
            version: ProtocolVersion::TLSv1_3,
            payload: MessagePayload::handshake(HandshakeMessagePayload(
                HandshakePayload::ClientHello(client_hello),
            )),
        };
        conn.read_tls(&mut ch.into_wire_bytes().as_slice())
            .unwrap();
        conn.process_new_packets().unwrap();

        let KxState::Start(skxg) = &conn.kx_state else {
            panic!("unexpected kx_state");
        };
        assert_eq!(skxg.name(), FAKE_FFDHE_GROUP.name());
    }

    #[test]
    fn test_server_requiring_rpk_client_rejects_x509_client() {
        let mut ch = minimal_client_hello();
        ch.extensions.client_certificate_types = Some(vec![CertificateType::X509]);
        let ch = Message {
            version: ProtocolVersion::TLSv1_3,
            payload: MessagePayload::handshake(HandshakeMessagePayload(
                HandshakePayload::ClientHello(ch),
            )),
        };

        let mut conn = ServerConnection::new(server_config_for_rpk().into()).unwrap();
        conn.read_tls(&mut ch.into_wire_bytes().as_slice())
            .unwrap();
        assert_eq!(
            conn.process_new_packets().unwrap_err(),
            PeerIncompatible::IncorrectCertificateTypeExtension.into(),
        );
    }

    #[test]
    fn test_rpk_only_server_rejects_x509_only_client() {
        let mut ch = minimal_client_hello();
        ch.extensions.server_certificate_types = Some(vec![CertificateType::X509]);
        let ch = Message {
            version: ProtocolVersion::TLSv1_3,
            payload: MessagePayload::handshake(HandshakeMessagePayload(
                HandshakePayload::ClientHello(ch),
            )),
        };

        let mut conn = ServerConnection::new(server_config_for_rpk().into()).unwrap();
        conn.read_tls(&mut ch.into_wire_bytes().as_slice())
            .unwrap();
        assert_eq!(
            conn.process_new_packets().unwrap_err(),
            PeerIncompatible::IncorrectCertificateTypeExtension.into(),
        );
    }

    #[test]
    fn second_client_hello_cannot_withdraw_psk_offer() {
        // Per RFC 9846 section 4.2.2, dropping a PreSharedKey offer is not one of the
        // changes a client may make after a HelloRetryRequest.
        let config =
            ServerConfig::builder_with_provider(super::provider::default_provider().into())
                .with_protocol_versions(&[&version::TLS13])
                .unwrap()
                .with_no_client_auth()
                .with_single_cert(server_cert(), server_key())
                .unwrap();
        let mut conn = ServerConnection::new(config.into()).unwrap();

        let encode = |hello| {
            Message {
                version: ProtocolVersion::TLSv1_3,
                payload: MessagePayload::handshake(HandshakeMessagePayload(
                    HandshakePayload::ClientHello(hello),
                )),
            }
            .into_wire_bytes()
        };

        // this hello offers a PSK, but no key share for a group we support, so
        // it draws a HelloRetryRequest.
        let mut first = minimal_client_hello();
        first.extensions.key_shares = Some(vec![]);
        first.extensions.preshared_key_modes = Some(PskKeyExchangeModes {
            psk_dhe: true,
            psk: false,
        });
        first.extensions.preshared_key_offer = Some(PresharedKeyOffer::new(
            PresharedKeyIdentity::new(vec![0u8; 16], 0),
            vec![0u8; 32],
        ));
        conn.read_tls(&mut encode(first).as_slice())
            .unwrap();
        conn.process_new_packets().unwrap();

        // the second hello follows the retry, but drops the PSK offer entirely.
        let mut second = minimal_client_hello();
        second.extensions.preshared_key_modes = Some(PskKeyExchangeModes {
            psk_dhe: true,
            psk: false,
        });
        conn.read_tls(&mut encode(second).as_slice())
            .unwrap();

        assert_eq!(
            conn.process_new_packets().unwrap_err(),
            PeerMisbehaved::MissingPskExtensionInSecondClientHello.into(),
        );
    }

    #[test]
    fn second_client_hello_cannot_change_cipher_suite() {
        // RFC 9846 section 4.2.4 requires the server to negotiate the same cipher suite it
        // named in its HelloRetryRequest, and section 4.2.2 does not let the client vary its
        // offer, so a second hello that withdraws the retried suite cannot be honoured.
        let provider = CryptoProvider {
            cipher_suites: vec![
                super::provider::cipher_suite::TLS13_AES_128_GCM_SHA256,
                TLS13_AES_128_GCM_SHA256_ALT,
            ],
            ..super::provider::default_provider()
        };
        let config = ServerConfig::builder_with_provider(provider.into())
            .with_protocol_versions(&[&version::TLS13])
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(server_cert(), server_key())
            .unwrap();
        let mut conn = ServerConnection::new(config.into()).unwrap();

        let encode = |hello| {
            Message {
                version: ProtocolVersion::TLSv1_3,
                payload: MessagePayload::handshake(HandshakeMessagePayload(
                    HandshakePayload::ClientHello(hello),
                )),
            }
            .into_wire_bytes()
        };

        // this hello has no key share for a group we support, so it draws a
        // HelloRetryRequest naming `TLS13_AES_128_GCM_SHA256`.
        let mut first = minimal_client_hello();
        first.cipher_suites = vec![CipherSuite::TLS13_AES_128_GCM_SHA256];
        first.extensions.key_shares = Some(vec![]);
        conn.read_tls(&mut encode(first).as_slice())
            .unwrap();
        conn.process_new_packets().unwrap();

        // the second hello follows the retry, but offers only a different suite. It shares
        // the retried suite's hash, so the transcript stays valid and nothing else objects.
        let mut second = minimal_client_hello();
        second.cipher_suites = vec![TLS13_AES_128_GCM_SHA256_ALT.suite()];
        conn.read_tls(&mut encode(second).as_slice())
            .unwrap();

        assert_eq!(
            conn.process_new_packets().unwrap_err(),
            PeerMisbehaved::CipherSuiteDifferedOnRetry.into(),
        );
    }

    #[test]
    fn early_data_accepted_for_first_psk_identity() {
        let (selected, early_data_accepted) = resume_with_early_data(0);
        assert_eq!(selected, Some(0));
        assert!(early_data_accepted);
    }

    #[test]
    fn early_data_rejected_for_later_psk_identity() {
        // RFC 9846 section 4.3.10: "In order to accept early data, the server MUST have
        // accepted a PSK cipher suite and selected the first key offered in the client's
        // "pre_shared_key" extension." The server may still resume with a later PSK.
        let (selected, early_data_accepted) = resume_with_early_data(1);
        assert_eq!(selected, Some(1));
        assert!(!early_data_accepted);
    }

    #[test]
    fn client_learns_whether_server_acknowledged_its_name() {
        let mut versions = vec![&version::TLS13];
        if cfg!(feature = "tls12") {
            versions.push(&version::TLS12);
        }
        for version in versions {
            for acknowledge in [true, false] {
                assert_eq!(
                    name_acknowledged_in_handshake(version, acknowledge),
                    acknowledge,
                    "{version:?}"
                );
            }
        }
    }

    /// Takes any certificate: the tests that use it are about other things.
    #[derive(Debug)]
    struct AnyCertificate(Vec<SignatureScheme>);

    impl ServerCertVerifier for AnyCertificate {
        fn verify_server_cert(
            &self,
            _: &CertificateDer<'_>,
            _: &[CertificateDer<'_>],
            _: &ServerName<'_>,
            _: &[u8],
            _: UnixTime,
        ) -> Result<ServerCertVerified, Error> {
            Ok(ServerCertVerified::assertion())
        }
        fn verify_tls12_signature(
            &self,
            _: &[u8],
            _: &CertificateDer<'_>,
            _: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, Error> {
            Ok(HandshakeSignatureValid::assertion())
        }
        fn verify_tls13_signature(
            &self,
            _: &[u8],
            _: &CertificateDer<'_>,
            _: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, Error> {
            Ok(HandshakeSignatureValid::assertion())
        }
        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.0.clone()
        }
    }

    /// A full handshake with SNI, the server acknowledging names or not: whether the
    /// client saw the acknowledgement.
    fn name_acknowledged_in_handshake(
        version: &'static crate::SupportedProtocolVersion,
        acknowledge: bool,
    ) -> bool {
        let provider = Arc::new(super::provider::default_provider());
        let generated = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        let key = PrivateKeyDer::Pkcs8(
            generated
                .signing_key
                .serialize_der()
                .into(),
        );
        let mut server_config = ServerConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(&[version])
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![generated.cert.der().clone()], key)
            .unwrap();
        server_config.acknowledge_server_name = acknowledge;
        let schemes = provider
            .signature_verification_algorithms
            .supported_schemes();
        let client_config = ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[version])
            .unwrap()
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AnyCertificate(schemes)))
            .with_no_client_auth();
        let mut client = ClientConnection::new(
            Arc::new(client_config),
            ServerName::try_from("localhost").unwrap(),
        )
        .unwrap();
        let mut server = ServerConnection::new(Arc::new(server_config)).unwrap();
        for _ in 0..10 {
            let mut wire = Vec::new();
            while client.wants_write() {
                client.write_tls(&mut wire).unwrap();
            }
            server.read_tls(&mut wire.as_slice()).unwrap();
            server.process_new_packets().unwrap();
            let mut wire = Vec::new();
            while server.wants_write() {
                server.write_tls(&mut wire).unwrap();
            }
            client.read_tls(&mut wire.as_slice()).unwrap();
            client.process_new_packets().unwrap();
            if !client.is_handshaking() && !server.is_handshaking() {
                break;
            }
        }
        assert!(!client.is_handshaking());
        client.server_name_acknowledged()
    }

    #[test]
    fn declined_early_data_is_skipped_up_to_the_limit_in_plaintext_bytes() {
        // One full record: 16384 bytes of plaintext are 16401 of ciphertext.
        assert_eq!(skip_declined_early_data(16384, 16384, 16384, usize::MAX), Ok(()));
        // Two records, the first skipped where the input ends inside the second: it is
        // charged once.
        assert_eq!(skip_declined_early_data(16384, 16384, 8192, 1000), Ok(()));
        assert_eq!(skip_declined_early_data(16384, 16384, 4096, 4096), Ok(()));
        // The allowance still holds: 16384 bytes when the server takes no early data.
        assert_eq!(
            skip_declined_early_data(20000, 20000, 16384, 1000),
            Err(Error::DecryptError)
        );
    }

    /// Resumes a TLS 1.3 session whose ticket allowed `allowed` bytes of early data,
    /// sending `early` bytes of it in records of at most `record` bytes, to a server
    /// that no longer takes early data; the client's bytes reach the server `chunk` at
    /// a time. The server's verdict on the whole exchange.
    fn skip_declined_early_data(
        allowed: u32,
        early: usize,
        record: usize,
        chunk: usize,
    ) -> Result<(), Error> {
        use std::io::Write;

        let provider = Arc::new(super::provider::default_provider());
        let generated = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        let key = PrivateKeyDer::Pkcs8(
            generated
                .signing_key
                .serialize_der()
                .into(),
        );
        let mut issuing = ServerConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(&[&version::TLS13])
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![generated.cert.der().clone()], key)
            .unwrap();
        issuing.max_early_data_size = allowed;
        // The same session store, so the ticket resumes; early data switched off.
        let mut declining = issuing.clone();
        declining.max_early_data_size = 0;
        let schemes = provider
            .signature_verification_algorithms
            .supported_schemes();
        let mut client_config = ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&version::TLS13])
            .unwrap()
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AnyCertificate(schemes)))
            .with_no_client_auth();
        client_config.enable_early_data = true;
        client_config.max_fragment_size = Some(record + 5);
        let client_config = Arc::new(client_config);
        let name = ServerName::try_from("localhost").unwrap();

        let mut client = ClientConnection::new(client_config.clone(), name.clone()).unwrap();
        let mut server = ServerConnection::new(Arc::new(issuing)).unwrap();
        for _ in 0..5 {
            exchange(&mut client, &mut server, usize::MAX)?;
        }
        assert!(!client.is_handshaking());

        let mut client = ClientConnection::new(client_config, name).unwrap();
        let written = client
            .early_data()
            .expect("the ticket allows early data")
            .write(&vec![0x5a; early])
            .unwrap();
        assert_eq!(written, early);
        let mut server = ServerConnection::new(Arc::new(declining)).unwrap();
        for _ in 0..5 {
            exchange(&mut client, &mut server, chunk)?;
        }
        assert!(!server.is_handshaking());
        assert!(!client.is_early_data_accepted());
        assert!(server.early_data().is_none());
        Ok(())
    }

    /// Moves what the client has to send to the server, `chunk` bytes per read, and the
    /// server's answer back.
    fn exchange(
        client: &mut ClientConnection,
        server: &mut ServerConnection,
        chunk: usize,
    ) -> Result<(), Error> {
        let mut wire = Vec::new();
        while client.wants_write() {
            client.write_tls(&mut wire).unwrap();
        }
        for mut piece in wire.chunks(chunk) {
            while !piece.is_empty() {
                server.read_tls(&mut piece).unwrap();
                server.process_new_packets()?;
            }
        }
        let mut wire = Vec::new();
        while server.wants_write() {
            server.write_tls(&mut wire).unwrap();
        }
        client.read_tls(&mut wire.as_slice()).unwrap();
        client.process_new_packets().unwrap();
        Ok(())
    }

    #[test]
    fn post_handshake_auth_gives_the_server_the_client_certificate() {
        let (mut client, mut server, client_cert, verifier) =
            post_handshake_auth_pair(true, true, false);
        assert!(server.post_handshake_auth_offered());
        assert!(server.peer_certificates().is_none());
        // Twice: each request is answered on its own.
        for _ in 0..2 {
            server
                .request_client_certificate(verifier.clone())
                .unwrap();
            assert!(server.client_certificate_requested());
            assert!(
                server
                    .request_client_certificate(verifier.clone())
                    .is_err()
            );
            for _ in 0..3 {
                server_to_client(&mut server, &mut client).unwrap();
                exchange(&mut client, &mut server, usize::MAX).unwrap();
            }
            assert!(!server.client_certificate_requested());
            assert_eq!(server.peer_certificates(), Some(&client_cert[..]));
        }
        // The connection goes on in both directions.
        use std::io::{Read, Write};
        client.writer().write_all(b"after").unwrap();
        server.writer().write_all(b"reply").unwrap();
        exchange(&mut client, &mut server, usize::MAX).unwrap();
        let mut got = [0u8; 5];
        server.reader().read_exact(&mut got).unwrap();
        assert_eq!(&got, b"after");
        client.reader().read_exact(&mut got).unwrap();
        assert_eq!(&got, b"reply");
    }

    #[test]
    fn post_handshake_auth_without_a_client_certificate() {
        // Optional: the connection goes on without one.
        let (mut client, mut server, _, verifier) = post_handshake_auth_pair(true, false, false);
        server
            .request_client_certificate(verifier)
            .unwrap();
        server_to_client(&mut server, &mut client).unwrap();
        exchange(&mut client, &mut server, usize::MAX).unwrap();
        assert!(!server.client_certificate_requested());
        assert!(server.peer_certificates().is_none());
        // Mandatory: certificate_required.
        let (mut client, mut server, _, verifier) = post_handshake_auth_pair(true, false, true);
        server
            .request_client_certificate(verifier)
            .unwrap();
        server_to_client(&mut server, &mut client).unwrap();
        assert_eq!(
            exchange(&mut client, &mut server, usize::MAX),
            Err(Error::NoCertificatesPresented)
        );
        assert_eq!(
            server_to_client(&mut server, &mut client),
            Err(Error::AlertReceived(crate::AlertDescription::CertificateRequired))
        );
    }

    #[test]
    fn post_handshake_auth_only_when_the_client_offered_it() {
        let (_, mut server, _, verifier) = post_handshake_auth_pair(false, true, false);
        assert!(!server.post_handshake_auth_offered());
        assert!(
            server
                .request_client_certificate(verifier)
                .is_err()
        );
        assert!(!server.client_certificate_requested());
    }

    /// Takes any client certificate whose signatures verify; never asks for one in a
    /// handshake.
    #[derive(Debug)]
    struct AfterHandshakeOnly {
        mandatory: bool,
        algorithms: crate::crypto::WebPkiSupportedAlgorithms,
    }

    impl crate::server::danger::ClientCertVerifier for AfterHandshakeOnly {
        fn offer_client_auth(&self) -> bool {
            false
        }
        fn client_auth_mandatory(&self) -> bool {
            self.mandatory
        }
        fn root_hint_subjects(&self) -> &[crate::DistinguishedName] {
            &[]
        }
        fn verify_client_cert(
            &self,
            _: &CertificateDer<'_>,
            _: &[CertificateDer<'_>],
            _: UnixTime,
        ) -> Result<crate::server::danger::ClientCertVerified, Error> {
            Ok(crate::server::danger::ClientCertVerified::assertion())
        }
        fn verify_tls12_signature(
            &self,
            _: &[u8],
            _: &CertificateDer<'_>,
            _: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, Error> {
            Err(Error::General("TLS 1.3 only".into()))
        }
        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, Error> {
            crate::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
        }
        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.algorithms.supported_schemes()
        }
    }

    /// A TLS 1.3 client and server after a handshake without client authentication;
    /// the client offers post-handshake authentication if `offer` and has a
    /// certificate if `with_cert` (returned), and a verifier for the server's requests
    /// that requires one if `mandatory`.
    fn post_handshake_auth_pair(
        offer: bool,
        with_cert: bool,
        mandatory: bool,
    ) -> (
        ClientConnection,
        ServerConnection,
        Vec<CertificateDer<'static>>,
        Arc<dyn crate::server::danger::ClientCertVerifier>,
    ) {
        let provider = Arc::new(super::provider::default_provider());
        let key_of = |generated: &rcgen::CertifiedKey<rcgen::KeyPair>| {
            PrivateKeyDer::Pkcs8(
                generated
                    .signing_key
                    .serialize_der()
                    .into(),
            )
        };
        let server_cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        let client_cert = rcgen::generate_simple_self_signed(vec!["client".into()]).unwrap();
        let server_config = ServerConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(&[&version::TLS13])
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![server_cert.cert.der().clone()], key_of(&server_cert))
            .unwrap();
        let schemes = provider
            .signature_verification_algorithms
            .supported_schemes();
        let builder = ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&version::TLS13])
            .unwrap()
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AnyCertificate(schemes)));
        let chain = vec![client_cert.cert.der().clone()];
        let mut client_config = match with_cert {
            true => builder
                .with_client_auth_cert(chain.clone(), key_of(&client_cert))
                .unwrap(),
            false => builder.with_no_client_auth(),
        };
        client_config.enable_post_handshake_auth = offer;
        let mut client = ClientConnection::new(
            Arc::new(client_config),
            ServerName::try_from("localhost").unwrap(),
        )
        .unwrap();
        let mut server = ServerConnection::new(Arc::new(server_config)).unwrap();
        for _ in 0..5 {
            exchange(&mut client, &mut server, usize::MAX).unwrap();
        }
        assert!(!client.is_handshaking() && !server.is_handshaking());
        let verifier = Arc::new(AfterHandshakeOnly {
            mandatory,
            algorithms: super::provider::default_provider().signature_verification_algorithms,
        });
        (client, server, chain, verifier)
    }

    /// Moves what the server has to send to the client.
    fn server_to_client(
        server: &mut ServerConnection,
        client: &mut ClientConnection,
    ) -> Result<(), Error> {
        let mut wire = Vec::new();
        while server.wants_write() {
            server.write_tls(&mut wire).unwrap();
        }
        client.read_tls(&mut wire.as_slice()).unwrap();
        client.process_new_packets().map(|_| ())
    }

    #[test]
    fn refused_records_draw_an_alert() {
        let hello = Message {
            version: ProtocolVersion::TLSv1_2,
            payload: MessagePayload::handshake(HandshakeMessagePayload(
                HandshakePayload::ClientHello(minimal_client_hello()),
            )),
        }
        .into_wire_bytes();
        let record = |typ: u8, body: &[u8]| {
            let mut r = vec![typ, 3, 3];
            r.extend((body.len() as u16).to_be_bytes());
            r.extend(body);
            r
        };
        // The first handshake message is a Finished.
        let not_hello = record(22, &[20, 0, 0, 4, 1, 2, 3, 4]);
        // A ClientHello split by a record of another type.
        let (a, b) = hello[5..].split_at(40);
        let interleaved = [record(22, a), record(23, &[0; 20]), record(22, b)].concat();
        for input in [not_hello, interleaved] {
            assert_eq!(
                alerts_for(&input),
                [Some(crate::AlertDescription::UnexpectedMessage); 2]
            );
        }
    }

    #[test]
    fn oversized_records_draw_record_overflow() {
        use crate::AlertDescription::RecordOverflow;
        let record = |typ: u8, len: usize| {
            let mut r = vec![typ, 3, 3];
            r.extend((len as u16).to_be_bytes());
            r.extend(vec![0u8; len]);
            r
        };
        // A plaintext record of 2^14 + 1 bytes.
        assert_eq!(alerts_for(&record(22, 16385)), [Some(RecordOverflow); 2]);
        // A protected TLS 1.3 record of 2^14 + 257 bytes is refused before it is
        // decrypted; one of 2^14 + 256 is decrypted (and fails its tag).
        for (len, error) in [
            (16384 + 257, Error::PeerSentOversizedRecord),
            (16384 + 256, Error::DecryptError),
        ] {
            let (mut client, mut server, _, _) = post_handshake_auth_pair(false, false, false);
            let input = record(23, len);
            let mut rest = &input[..];
            while !rest.is_empty() {
                server.read_tls(&mut rest).unwrap();
            }
            assert_eq!(server.process_new_packets().err(), Some(error.clone()));
            let alert = match error {
                Error::DecryptError => crate::AlertDescription::BadRecordMac,
                _ => RecordOverflow,
            };
            assert_eq!(
                server_to_client(&mut server, &mut client),
                Err(Error::AlertReceived(alert))
            );
        }
    }

    #[test]
    fn client_hellos_refused_as_rfc_8446_asks() {
        let encode = |hello| {
            Message {
                version: ProtocolVersion::TLSv1_2,
                payload: MessagePayload::handshake(HandshakeMessagePayload(
                    HandshakePayload::ClientHello(hello),
                )),
            }
            .into_wire_bytes()
        };
        // legacy_version 0x0300 (SSL 3.0), TLS 1.3 in supported_versions.
        let mut old = minimal_client_hello();
        old.client_version = ProtocolVersion::SSLv3;
        assert_eq!(
            alerts_for(&encode(old))[1],
            Some(crate::AlertDescription::ProtocolVersion)
        );
        // supported_groups without key_share.
        let mut no_share = minimal_client_hello();
        no_share.cipher_suites = vec![CipherSuite::TLS13_AES_128_GCM_SHA256];
        no_share.extensions.key_shares = None;
        assert_eq!(
            alerts_for(&encode(no_share))[1],
            Some(crate::AlertDescription::MissingExtension)
        );
    }

    #[cfg(feature = "tls12")]
    #[test]
    fn tls12_server_hello_echoes_ec_point_formats() {
        use crate::msgs::handshake::{SupportedEcPointFormats, SupportedProtocolVersions};
        for offered in [true, false] {
            let mut ch = minimal_client_hello();
            ch.cipher_suites = vec![CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256];
            ch.extensions.supported_versions = Some(SupportedProtocolVersions {
                tls12: true,
                tls13: false,
            });
            ch.extensions.key_shares = None;
            ch.extensions.signature_schemes = Some(vec![SignatureScheme::ECDSA_NISTP256_SHA256]);
            ch.extensions.ec_point_formats = offered.then(SupportedEcPointFormats::default);
            let ch = Message {
                version: ProtocolVersion::TLSv1_2,
                payload: MessagePayload::handshake(HandshakeMessagePayload(
                    HandshakePayload::ClientHello(ch),
                )),
            };
            let generated = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
            let key = PrivateKeyDer::Pkcs8(
                generated
                    .signing_key
                    .serialize_der()
                    .into(),
            );
            let config =
                ServerConfig::builder_with_provider(super::provider::default_provider().into())
                    .with_protocol_versions(&[&version::TLS12])
                    .unwrap()
                    .with_no_client_auth()
                    .with_single_cert(vec![generated.cert.der().clone()], key)
                    .unwrap();
            let mut server = ServerConnection::new(Arc::new(config)).unwrap();
            server
                .read_tls(&mut ch.into_wire_bytes().as_slice())
                .unwrap();
            server.process_new_packets().unwrap();
            let mut flight = Vec::new();
            server.write_tls(&mut flight).unwrap();
            let mut r = Reader::init(&flight[HEADER_SIZE..]);
            let HandshakeMessagePayload(HandshakePayload::ServerHello(hello)) =
                HandshakeMessagePayload::read(&mut r).unwrap()
            else {
                panic!("expected ServerHello");
            };
            assert_eq!(hello.extensions.ec_point_formats.is_some(), offered);
        }
    }

    #[test]
    fn large_records_reach_the_reader_in_their_own_buffer() {
        use std::io::{BufRead, Write};
        let (mut client, mut server, _, _) = post_handshake_auth_pair(false, false, false);
        let data: Vec<u8> = (0..3 * 16384 + 100u32)
            .map(|i| (i % 251) as u8)
            .collect();
        client.writer().write_all(&data).unwrap();
        let mut wire = Vec::new();
        while client.wants_write() {
            client.write_tls(&mut wire).unwrap();
        }

        // One record per read, as a reader that stops at record boundaries hands them over:
        // each 16 KiB record is read where it was decrypted, and the buffer the reader
        // emptied is the one the next record is read into, so every other record lands
        // at the same address. The last record (100 bytes) is copied.
        let mut got = Vec::new();
        let mut addresses = Vec::new();
        let mut rest = &wire[..];
        while !rest.is_empty() {
            let len = 5 + usize::from(u16::from_be_bytes([rest[3], rest[4]]));
            let mut record = &rest[..len];
            rest = &rest[len..];
            while !record.is_empty() {
                server.read_tls(&mut record).unwrap();
            }
            server.process_new_packets().unwrap();
            let mut reader = server.reader();
            let chunk = reader.fill_buf().unwrap();
            addresses.push(chunk.as_ptr() as usize);
            let n = chunk.len();
            got.extend_from_slice(chunk);
            reader.consume(n);
        }
        assert_eq!(got, data);
        assert_eq!(addresses.len(), 4);
        assert_eq!(addresses[0], addresses[2]);
        assert_ne!(addresses[0], addresses[1]);

        // Several records in one read are copied out of the input buffer, in order, and
        // the reader can take them in pieces.
        client.writer().write_all(&data).unwrap();
        let mut wire = Vec::new();
        while client.wants_write() {
            client.write_tls(&mut wire).unwrap();
        }
        let mut got = Vec::new();
        let mut rest = &wire[..];
        while !rest.is_empty() {
            while server.read_tls(&mut rest).is_ok() && !rest.is_empty() {}
            server.process_new_packets().unwrap();
            let mut buf = [0u8; 1000];
            loop {
                match std::io::Read::read(&mut server.reader(), &mut buf) {
                    Ok(n) if n > 0 => got.extend_from_slice(&buf[..n]),
                    _ => break,
                }
            }
        }
        assert_eq!(got, data);
    }

    /// The alert a server sends for `input`, through an `Acceptor` and through a
    /// `ServerConnection`.
    fn alerts_for(input: &[u8]) -> [Option<crate::AlertDescription>; 2] {
        let alert = |out: &[u8]| match out {
            [21, 3, 3, 0, 2, 2, desc] => Some(crate::AlertDescription::from(*desc)),
            _ => None,
        };
        let mut acceptor = crate::server::Acceptor::default();
        let mut rest = input;
        while !rest.is_empty() {
            acceptor.read_tls(&mut rest).unwrap();
        }
        let mut through_acceptor = Vec::new();
        if let Err((_, mut sent)) = acceptor.accept() {
            sent.write_all(&mut through_acceptor)
                .unwrap();
        }
        let generated = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        let key = PrivateKeyDer::Pkcs8(
            generated
                .signing_key
                .serialize_der()
                .into(),
        );
        let config =
            ServerConfig::builder_with_provider(super::provider::default_provider().into())
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_no_client_auth()
                .with_single_cert(vec![generated.cert.der().clone()], key)
                .unwrap();
        let mut server = ServerConnection::new(Arc::new(config)).unwrap();
        let mut rest = input;
        while !rest.is_empty() {
            server.read_tls(&mut rest).unwrap();
        }
        assert!(server.process_new_packets().is_err());
        let mut through_connection = Vec::new();
        server
            .write_tls(&mut through_connection)
            .unwrap();
        [alert(&through_acceptor), alert(&through_connection)]
    }

    #[cfg(feature = "tls12")]
    #[test]
    fn tls12_ticket_resumption_renews_only_tickets_the_ticketer_renews() {
        assert!(tls12_ticket_resumption_announces_new_ticket(true));
        assert!(!tls12_ticket_resumption_announces_new_ticket(false));
    }

    /// Resumes a TLS 1.2 session from a ticket that the ticketer wants `renew`ed or not:
    /// whether the ServerHello announces a new ticket.
    #[cfg(feature = "tls12")]
    fn tls12_ticket_resumption_announces_new_ticket(renew: bool) -> bool {
        use crate::msgs::base::Payload;
        use crate::msgs::handshake::ClientSessionTicket;
        use crate::server::ProducesTickets;

        /// Tickets in the clear, renewed or not as told.
        #[derive(Debug)]
        struct PlainTickets {
            renew: bool,
        }

        impl ProducesTickets for PlainTickets {
            fn enabled(&self) -> bool {
                true
            }
            fn lifetime(&self) -> u32 {
                60
            }
            fn encrypt(&self, plain: &[u8]) -> Option<Vec<u8>> {
                Some(plain.to_vec())
            }
            fn decrypt(&self, cipher: &[u8]) -> Option<Vec<u8>> {
                Some(cipher.to_vec())
            }
            fn decrypt_with_renewal(&self, cipher: &[u8]) -> Option<(Vec<u8>, bool)> {
                Some((cipher.to_vec(), self.renew))
            }
        }

        let generated = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        let key = PrivateKeyDer::Pkcs8(
            generated
                .signing_key
                .serialize_der()
                .into(),
        );
        let provider = CryptoProvider {
            kx_groups: vec![super::provider::kx_group::X25519],
            ..super::provider::default_provider()
        };
        let mut config = ServerConfig::builder_with_provider(provider.into())
            .with_protocol_versions(&[&version::TLS12])
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![generated.cert.der().clone()], key)
            .unwrap();
        config.ticketer = Arc::new(PlainTickets { renew });

        let suite = CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        let mut session = persist::ServerSessionValue::new(
            None,
            ProtocolVersion::TLSv1_2,
            suite,
            &[0x42; 48],
            None,
            None,
            vec![],
            config.current_time().unwrap(),
            0,
        );
        session.set_extended_ms_used();

        let mut ch = minimal_client_hello();
        ch.cipher_suites = vec![suite];
        ch.extensions.signature_schemes = Some(vec![SignatureScheme::ECDSA_NISTP256_SHA256]);
        ch.extensions.supported_versions = None;
        ch.extensions.key_shares = None;
        ch.extensions.session_ticket = Some(ClientSessionTicket::Offer(Payload::new(
            session.get_encoding(),
        )));
        let ch = Message {
            version: ProtocolVersion::TLSv1_2,
            payload: MessagePayload::handshake(HandshakeMessagePayload(
                HandshakePayload::ClientHello(ch),
            )),
        };
        let mut conn = ServerConnection::new(config.into()).unwrap();
        conn.read_tls(&mut ch.into_wire_bytes().as_slice())
            .unwrap();
        conn.process_new_packets().unwrap();
        assert_eq!(conn.handshake_kind(), Some(crate::HandshakeKind::Resumed));

        let mut flight = vec![];
        conn.write_tls(&mut flight).unwrap();
        let mut r = Reader::init(&flight[HEADER_SIZE..]);
        let HandshakeMessagePayload(HandshakePayload::ServerHello(server_hello)) =
            HandshakeMessagePayload::read(&mut r).unwrap()
        else {
            panic!("expected ServerHello");
        };
        server_hello
            .extensions
            .session_ticket_ack
            .is_some()
    }

    /// Offer a resumable PSK at `index` (preceded by unknown identities) along with an
    /// early data request, returning the selected PSK index and whether early data was accepted.
    fn resume_with_early_data(index: usize) -> (Option<u16>, bool) {
        // ensures X25519 is offered irrespective of cfg(feature = "fips"), to match
        // `minimal_client_hello()`
        let provider = CryptoProvider {
            kx_groups: vec![super::provider::kx_group::X25519],
            ..super::provider::default_provider()
        };
        let mut config = ServerConfig::builder_with_provider(provider.into())
            .with_protocol_versions(&[&version::TLS13])
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(server_cert(), server_key())
            .unwrap();
        config.max_early_data_size = 1024;

        let SupportedCipherSuite::Tls13(suite) =
            super::provider::cipher_suite::TLS13_AES_128_GCM_SHA256
        else {
            unreachable!();
        };

        let secret = [0x42u8; 32];
        let ticket = b"resumable ticket";
        let session = persist::ServerSessionValue::new(
            None,
            ProtocolVersion::TLSv1_3,
            suite.common.suite,
            &secret,
            None,
            None,
            vec![],
            config.current_time().unwrap(),
            0,
        );
        assert!(
            config
                .session_storage
                .put(ticket.to_vec(), session.get_encoding())
        );

        let binder_len = suite.common.hash_provider.output_len();
        let mut identities = vec![PresharedKeyIdentity::new(b"unknown ticket".to_vec(), 0); index];
        identities.push(PresharedKeyIdentity::new(ticket.to_vec(), 0));
        let binders = vec![PresharedKeyBinder::from(vec![0u8; binder_len]); identities.len()];

        let mut ch = minimal_client_hello();
        ch.cipher_suites = vec![suite.common.suite];
        ch.extensions.preshared_key_modes = Some(PskKeyExchangeModes {
            psk_dhe: true,
            psk: false,
        });
        ch.extensions.early_data_request = Some(());
        ch.extensions.preshared_key_offer = Some(PresharedKeyOffer {
            identities,
            binders,
        });
        let mut hmp = HandshakeMessagePayload(HandshakePayload::ClientHello(ch));

        // compute a genuine binder for the resumable PSK over the final ClientHello
        let key_schedule = KeyScheduleEarly::new(suite, &secret);
        let handshake_hash = suite
            .common
            .hash_provider
            .hash(&hmp.encoding_for_binder_signing());
        let binder = key_schedule.resumption_psk_binder_key_and_sign_verify_data(&handshake_hash);
        let HandshakePayload::ClientHello(ch) = &mut hmp.0 else {
            unreachable!();
        };
        ch.preshared_key_offer
            .as_mut()
            .unwrap()
            .binders[index] = PresharedKeyBinder::from(binder.as_ref().to_vec());

        let ch = Message {
            version: ProtocolVersion::TLSv1_3,
            payload: MessagePayload::handshake(hmp),
        };
        let mut conn = ServerConnection::new(config.into()).unwrap();
        conn.read_tls(&mut ch.into_wire_bytes().as_slice())
            .unwrap();
        conn.process_new_packets().unwrap();

        let mut flight = vec![];
        conn.write_tls(&mut flight).unwrap();
        let mut r = Reader::init(&flight[HEADER_SIZE..]);
        let HandshakeMessagePayload(HandshakePayload::ServerHello(server_hello)) =
            HandshakeMessagePayload::read(&mut r).unwrap()
        else {
            panic!("expected ServerHello");
        };

        (
            server_hello.extensions.preshared_key,
            conn.early_data().is_some(),
        )
    }

    static TLS13_AES_128_GCM_SHA256_ALT: SupportedCipherSuite =
        SupportedCipherSuite::Tls13(&TLS13_AES_128_GCM_SHA256_ALT_INNER);

    /// Differs from `TLS13_AES_128_GCM_SHA256` only in its code point: same hash, same everything else.
    static TLS13_AES_128_GCM_SHA256_ALT_INNER: Tls13CipherSuite =
        match &super::provider::cipher_suite::TLS13_AES_128_GCM_SHA256 {
            SupportedCipherSuite::Tls13(provider) => Tls13CipherSuite {
                common: CipherSuiteCommon {
                    suite: CipherSuite::Unknown(0xff14),
                    ..provider.common
                },
                ..**provider
            },
            _ => unreachable!(),
        };

    fn server_config_for_rpk() -> ServerConfig {
        let x25519_provider = CryptoProvider {
            kx_groups: vec![super::provider::kx_group::X25519],
            ..super::provider::default_provider()
        };
        ServerConfig::builder_with_provider(x25519_provider.into())
            .with_protocol_versions(&[&version::TLS13])
            .unwrap()
            .with_no_client_auth()
            .with_cert_resolver(Arc::new(AlwaysResolvesServerRawPublicKeys::new(Arc::new(
                server_certified_key(),
            ))))
    }

    fn server_certified_key() -> CertifiedKey {
        let key = super::provider::default_provider()
            .key_provider
            .load_private_key(server_key())
            .unwrap();
        let public_key_as_cert = vec![CertificateDer::from(
            key.public_key()
                .unwrap()
                .as_ref()
                .to_vec(),
        )];
        CertifiedKey::new(public_key_as_cert, key)
    }

    fn server_key() -> PrivateKeyDer<'static> {
        PrivateKeyDer::from_pem_reader(
            &mut include_bytes!("../../../test-ca/rsa-2048/end.key").as_slice(),
        )
        .unwrap()
    }

    fn server_cert() -> Vec<CertificateDer<'static>> {
        vec![
            CertificateDer::from(&include_bytes!("../../../test-ca/rsa-2048/end.der")[..]),
            CertificateDer::from(&include_bytes!("../../../test-ca/rsa-2048/inter.der")[..]),
        ]
    }

    fn ffdhe_provider() -> CryptoProvider {
        CryptoProvider {
            kx_groups: vec![FAKE_FFDHE_GROUP],
            cipher_suites: vec![TLS_DHE_RSA_WITH_AES_128_GCM_SHA256],
            ..super::provider::default_provider()
        }
    }

    static FAKE_FFDHE_GROUP: &'static dyn SupportedKxGroup = &FakeFfdheGroup;

    #[derive(Debug)]
    struct FakeFfdheGroup;

    impl SupportedKxGroup for FakeFfdheGroup {
        fn name(&self) -> NamedGroup {
            NamedGroup::FFDHE2048
        }

        fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, Error> {
            Ok(Box::new(ActiveFakeFfdhe))
        }
    }

    #[derive(Debug)]
    struct ActiveFakeFfdhe;

    impl ActiveKeyExchange for ActiveFakeFfdhe {
        #[cfg_attr(coverage_nightly, coverage(off))]
        fn complete(
            self: Box<Self>,
            _peer_pub_key: &[u8],
        ) -> Result<crate::crypto::SharedSecret, Error> {
            todo!()
        }

        fn pub_key(&self) -> &[u8] {
            b"ActiveFakeFfdhe pub key"
        }

        fn group(&self) -> NamedGroup {
            NamedGroup::FFDHE2048
        }
    }

    static TLS_DHE_RSA_WITH_AES_128_GCM_SHA256: SupportedCipherSuite =
        SupportedCipherSuite::Tls12(&TLS12_DHE_RSA_WITH_AES_128_GCM_SHA256);

    static TLS12_DHE_RSA_WITH_AES_128_GCM_SHA256: Tls12CipherSuite =
        match &super::provider::cipher_suite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 {
            SupportedCipherSuite::Tls12(provider) => Tls12CipherSuite {
                common: CipherSuiteCommon {
                    suite: CipherSuite::TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
                    ..provider.common
                },
                kx: KeyExchangeAlgorithm::DHE,
                ..**provider
            },
            _ => unreachable!(),
        };
}

fn minimal_client_hello() -> ClientHelloPayload {
    ClientHelloPayload {
        client_version: ProtocolVersion::TLSv1_3,
        random: Random::from([0u8; 32]),
        session_id: SessionId::empty(),
        cipher_suites: vec![
            CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            CipherSuite::TLS13_AES_128_GCM_SHA256,
        ],
        compression_methods: vec![Compression::Null],
        extensions: Box::new(ClientExtensions {
            signature_schemes: Some(vec![SignatureScheme::RSA_PSS_SHA256]),
            named_groups: Some(vec![NamedGroup::X25519, NamedGroup::secp256r1]),
            supported_versions: Some(SupportedProtocolVersions {
                tls12: true,
                tls13: true,
            }),
            key_shares: Some(vec![KeyShareEntry {
                group: NamedGroup::X25519,
                payload: PayloadU16::new(vec![0xab; 32]),
            }]),
            extended_master_secret_request: Some(()),
            ..ClientExtensions::default()
        }),
    }
}
