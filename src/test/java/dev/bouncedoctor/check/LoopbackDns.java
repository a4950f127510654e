package dev.bouncedoctor.check;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A DNS responder on the loopback interface for the tests, so that nothing reaches the internet. Its zone:
 * <ul>
 * <li>{@code mx.test}: an MX record (mail.mx.test);</li>
 * <li>{@code a-only.test}: no MX, an A record (the implicit MX);</li>
 * <li>{@code no-mail.test}: neither (NOERROR, no answers);</li>
 * <li>{@code null-mx.test}: the null MX of RFC 7505;</li>
 * <li>{@code slow.test}: never answered, so the query times out;</li>
 * <li>any other name: NXDOMAIN.</li>
 * </ul>
 * Started as a Quarkus test resource with every test application; it hands the service its address.
 */
public class LoopbackDns implements QuarkusTestResourceLifecycleManager {

    private EventLoopGroup group;
    private Channel channel;

    @Override
    public Map<String, String> start() {
        group = new NioEventLoopGroup(1);
        channel = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(new ChannelInitializer<DatagramChannel>() {
            @Override
            protected void initChannel(DatagramChannel ch) {
                ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), new Responder());
            }
        }).bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
        int port = ((InetSocketAddress) channel.localAddress()).getPort();
        return Map.of("addresses.dns.enabled", "true", "addresses.dns.server", "127.0.0.1", "addresses.dns.port", String.valueOf(port),
                "addresses.dns.timeout", "500ms");
    }

    @Override
    public void stop() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully();
        }
    }

    private static final class Responder extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            String name = question.name().endsWith(".") ? question.name().substring(0, question.name().length() - 1) : question.name();
            if (name.equals("slow.test")) {
                return;
            }
            DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
            response.setRecursionAvailable(true);
            response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));
            DnsRecordType type = question.type();
            switch (name) {
                case "mx.test" -> {
                    if (type == DnsRecordType.MX) {
                        response.addRecord(DnsSection.ANSWER, mx(question.name(), 10, "mail.mx.test"));
                    }
                }
                case "a-only.test" -> {
                    if (type == DnsRecordType.A) {
                        response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.A, 60,
                                Unpooled.wrappedBuffer(new byte[] {(byte) 192, 0, 2, 10})));
                    }
                }
                case "null-mx.test" -> {
                    if (type == DnsRecordType.MX) {
                        response.addRecord(DnsSection.ANSWER, mx(question.name(), 0, ""));
                    }
                }
                case "no-mail.test" -> {
                    // NOERROR and nothing: the name exists but has no such record.
                }
                default -> response.setCode(DnsResponseCode.NXDOMAIN);
            }
            ctx.writeAndFlush(response);
        }

        private static DefaultDnsRawRecord mx(String owner, int preference, String host) {
            ByteBuf data = Unpooled.buffer();
            data.writeShort(preference);
            if (!host.isEmpty()) {
                for (String label : host.split("\\.")) {
                    byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
                    data.writeByte(bytes.length);
                    data.writeBytes(bytes);
                }
            }
            data.writeByte(0);
            return new DefaultDnsRawRecord(owner, DnsRecordType.MX, 60, data);
        }
    }
}
