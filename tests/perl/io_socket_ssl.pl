#!/usr/bin/perl
# Perl's TLS stack (IO::Socket::SSL over Net::SSLeay, linked against libssl.so.3) as a
# client and a server on 127.0.0.1, printing a transcript that the test suite requires to
# be the same on the system OpenSSL and on ferrossl; the last line names the libssl the
# process mapped.
#
#   perl io_socket_ssl.pl PKI_DIR
use strict;
use warnings;
use IO::Socket::SSL;
use LWP::UserAgent;

my $pki = shift or die "usage: io_socket_ssl.pl PKI_DIR\n";
$| = 1;

# A server answering each connection with what it saw: SNI, ALPN, version, client
# certificate; as HTTP, so LWP can ask it too. It serves a bounded number of connections.
my $server = IO::Socket::SSL->new(
    Listen => 5,
    LocalAddr => '127.0.0.1',
    LocalPort => 0,
    ReuseAddr => 1,
    SSL_cert_file => { '' => "$pki/server-rsa.pem", 'ecdsa.example' => "$pki/server-ecdsa.pem" },
    SSL_key_file => { '' => "$pki/server-rsa-key.pem", 'ecdsa.example' => "$pki/server-ecdsa-key.pem" },
    SSL_alpn_protocols => ['h2', 'http/1.1'],
    SSL_verify_mode => SSL_VERIFY_PEER,
    SSL_ca_file => "$pki/ca.pem",
) or die "server: $SSL_ERROR";
my $port = $server->sockport;
my $pid = fork() // die "fork: $!";
if ($pid == 0) {
    for (1 .. 20) {
        my $c = $server->accept or next;
        my $request = <$c> // '';
        my $peer = $c->peer_certificate('subject') // '(none)';
        my $body = sprintf("sni=%s alpn=%s version=%s client=%s",
            $c->get_servername // '(none)', $c->alpn_selected // '(none)',
            $c->get_sslversion, $peer);
        print $c "HTTP/1.0 200 OK\r\nContent-Length: " . length($body) . "\r\n\r\n$body";
        $c->close(SSL_fast_shutdown => 1);
    }
    exit 0;
}

sub client {
    my ($what, %args) = @_;
    my $c = IO::Socket::SSL->new(
        PeerAddr => '127.0.0.1',
        PeerPort => $port,
        SSL_ca_file => "$pki/ca.pem",
        SSL_hostname => 'localhost',
        SSL_verifycn_name => 'localhost',
        SSL_verifycn_scheme => 'http',
        %args,
    );
    unless ($c) {
        (my $err = $SSL_ERROR) =~ s/\s+/ /g;
        print "$what: refused: $err\n";
        return;
    }
    print $c "GET / HTTP/1.0\r\n\r\n";
    my $answer = join '', <$c>;
    $answer =~ s/.*\r\n\r\n//s;
    printf "%s: %s %s alpn=%s server cert %s; server saw %s\n", $what, $c->get_sslversion,
        $c->get_cipher, $c->alpn_selected // '(none)', $c->peer_certificate('subject'), $answer;
    $c->close;
}

client('TLS 1.3 with ALPN', SSL_alpn_protocols => ['http/1.1']);
client('TLS 1.2', SSL_version => 'TLSv1_2', SSL_cipher_list => 'ECDHE-RSA-AES128-GCM-SHA256');
client('SNI picks the ECDSA certificate', SSL_hostname => 'ecdsa.example', SSL_verify_mode => SSL_VERIFY_NONE);
client('client certificate', SSL_cert_file => "$pki/client.pem", SSL_key_file => "$pki/client-key.pem");
client('wrong CA', SSL_ca_file => "$pki/other-ca.pem");
client('wrong name', SSL_verifycn_name => 'wrong.example', SSL_hostname => 'wrong.example');

my $ua = LWP::UserAgent->new(ssl_opts => { SSL_ca_file => "$pki/ca.pem", verify_hostname => 1 });
my $res = $ua->get("https://localhost:$port/");
printf "LWP: %s %s\n", $res->code, $res->is_success ? $res->decoded_content : $res->status_line;
my $bad = LWP::UserAgent->new(ssl_opts => { SSL_ca_file => "$pki/other-ca.pem", verify_hostname => 1 });
$res = $bad->get("https://localhost:$port/");
printf "LWP with the wrong CA: %s\n", $res->code;

kill 'TERM', $pid;
waitpid($pid, 0);

open my $maps, '<', "/proc/self/maps" or die;
my ($lib) = grep { m{libssl\.so\.3$|libferrossl} } <$maps>;
chomp $lib;
$lib =~ s/.*\s//;
print "libssl mapped: $lib\n";
