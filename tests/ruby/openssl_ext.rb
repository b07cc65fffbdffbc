# Ruby 3.1's openssl extension (linked against libssl.so.3) as a client and a server on
# 127.0.0.1, printing a transcript that the test suite requires to be the same on the
# system OpenSSL and on ferrossl; the last line names the libssl the process mapped.
#
#   ruby openssl_ext.rb PKI_DIR
require 'openssl'
require 'socket'
require 'net/http'

pki = ARGV.fetch(0)
$stdout.sync = true
ca = OpenSSL::X509::Store.new
ca.add_file("#{pki}/ca.pem")

server_ctx = OpenSSL::SSL::SSLContext.new
server_ctx.cert = OpenSSL::X509::Certificate.new(File.read("#{pki}/server-rsa.pem"))
server_ctx.key = OpenSSL::PKey.read(File.read("#{pki}/server-rsa-key.pem"))
server_ctx.cert_store = ca
server_ctx.verify_mode = OpenSSL::SSL::VERIFY_PEER
server_ctx.alpn_select_cb = ->(offered) { offered.include?('http/1.1') ? 'http/1.1' : offered.first }
tcp = TCPServer.new('127.0.0.1', 0)
port = tcp.addr[1]
server = OpenSSL::SSL::SSLServer.new(tcp, server_ctx)
pid = fork do
  12.times do
    begin
      s = server.accept
      next s.close unless s.gets # a client that refused the server after the handshake
      body = "#{s.ssl_version} #{s.cipher[0]} alpn=#{s.alpn_protocol || '(none)'} " \
             "client=#{s.peer_cert ? s.peer_cert.subject : '(none)'}"
      s.write("HTTP/1.0 200 OK\r\nContent-Length: #{body.bytesize}\r\n\r\n#{body}")
      s.close
    rescue StandardError
      next
    end
  end
  exit!(0)
end

def connect(port, ctx, host = 'localhost', session = nil)
  sock = OpenSSL::SSL::SSLSocket.new(TCPSocket.new('127.0.0.1', port), ctx)
  sock.hostname = host
  sock.session = session if session
  sock.sync_close = true
  begin
    sock.connect
    sock.post_connection_check(host)
  rescue StandardError
    sock.close
    raise
  end
  sock.write("GET / HTTP/1.0\r\n\r\n")
  answer = sock.read.split("\r\n\r\n", 2)[1]
  [sock, answer]
end

def client(what, port, ca, host = 'localhost')
  ctx = OpenSSL::SSL::SSLContext.new
  ctx.cert_store = ca
  ctx.verify_mode = OpenSSL::SSL::VERIFY_PEER
  yield ctx if block_given?
  sock, answer = connect(port, ctx, host)
  puts "#{what}: #{sock.ssl_version} #{sock.cipher[0]} server #{sock.peer_cert.subject}; server saw #{answer}"
  sock.close
rescue OpenSSL::SSL::SSLError => e
  puts "#{what}: refused: #{e.message.sub(/peeraddr=\S+ /, '')}"
end

client('TLS 1.3 with ALPN', port, ca) { |c| c.alpn_protocols = ['http/1.1'] }
client('max_version TLS 1.2 with a cipher list', port, ca) do |c|
  c.max_version = OpenSSL::SSL::TLS1_2_VERSION
  c.ciphers = 'ECDHE-RSA-AES128-GCM-SHA256'
end
client('min_version TLS 1.3', port, ca) { |c| c.min_version = OpenSSL::SSL::TLS1_3_VERSION }
client('client certificate', port, ca) do |c|
  c.cert = OpenSSL::X509::Certificate.new(File.read("#{pki}/client.pem"))
  c.key = OpenSSL::PKey.read(File.read("#{pki}/client-key.pem"))
end
client('wrong CA', port, OpenSSL::X509::Store.new.tap { |s| s.add_file("#{pki}/other-ca.pem") })
client('wrong name', port, ca, 'wrong.example')

# Session reuse across two connections of one context.
ctx = OpenSSL::SSL::SSLContext.new
ctx.cert_store = ca
ctx.verify_mode = OpenSSL::SSL::VERIFY_PEER
ctx.max_version = OpenSSL::SSL::TLS1_2_VERSION
first, = connect(port, ctx)
saved = first.session
first.close
second, = connect(port, ctx, 'localhost', saved)
puts "session reused: #{second.session_reused?}"
second.close

res = Net::HTTP.start('localhost', port, use_ssl: true, ca_file: "#{pki}/ca.pem",
                      verify_mode: OpenSSL::SSL::VERIFY_PEER) { |h| h.get('/') }
puts "Net::HTTP: #{res.code} #{res.body}"
begin
  Net::HTTP.start('localhost', port, use_ssl: true, ca_file: "#{pki}/other-ca.pem",
                  verify_mode: OpenSSL::SSL::VERIFY_PEER) { |h| h.get('/') }
  puts 'Net::HTTP with another CA: accepted'
rescue OpenSSL::SSL::SSLError => e
  puts "Net::HTTP with another CA: #{e.message.sub(/peeraddr=\S+ /, '')}"
end

Process.kill('TERM', pid)
Process.wait(pid)
lib = File.readlines('/proc/self/maps').map(&:split).map(&:last).find do |p|
  p && (p.end_with?('/libssl.so.3') || p.end_with?('libferrossl.so'))
end
puts "libssl mapped: #{lib}"
