package io.portcullis.server.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.stream.ChunkedInput;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.server.http.BodyReceiver;
import io.portcullis.server.http.Exchange;
import io.portcullis.server.http.Handler;
import io.portcullis.server.http.Protocol;
import io.portcullis.server.http.Request;
import io.portcullis.server.transport.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A plain-HTTP/1.1 stand-in for the real server, just enough {@link Exchange} (with real backpressure: auto-read off,
 * the body is read on demand) to drive a {@link Handler} over sockets before the full server fixture exists. Requests
 * report {@code scheme https} as the real TLS listener would.
 */
final class MiniFrontend implements AutoCloseable {
    final EventLoopGroup group;
    final Channel server;
    final Map<String, String> lastLog = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    MiniFrontend(Handler handler, Transport transport, int threads) throws InterruptedException {
        group = transport.newGroup(threads, r -> new Thread(r, "mini-frontend"));
        server = new ServerBootstrap().group(group).channel(transport.serverChannel())
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("http", new HttpServerCodec());
                        ch.pipeline().addLast("app", new Conn(handler));
                        ch.read();
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Conn extends ChannelInboundHandlerAdapter {
        private final Handler handler;
        private MiniExchange current;

        Conn(Handler handler) {
            this.handler = handler;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest req) {
                current = new MiniExchange(ctx.channel(), req, this);
                handler.handle(current);
            }
            if (msg instanceof HttpContent c) {
                if (current != null) {
                    current.body(c);
                } else {
                    c.release();
                }
            } else if (!(msg instanceof HttpRequest)) {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (current == null || current.wantsRead()) {
                ctx.read();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (current != null && ctx.channel().isWritable()) {
                current.writable();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (current != null) {
                current.aborted();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        void done(MiniExchange ex) {
            if (current == ex) {
                current = null;
                ex.channel.read();
            }
        }
    }

    final class MiniExchange implements Exchange {
        final Channel channel;
        final Request request;
        final Conn conn;
        private final ArrayDeque<HttpContent> queued = new ArrayDeque<>();
        private final ArrayDeque<Runnable> onWritable = new ArrayDeque<>();
        private BodyReceiver receiver;
        private boolean demand;
        private boolean bodyDone;
        private boolean headSent;
        private boolean done;
        private Runnable onAbort;

        MiniExchange(Channel channel, HttpRequest req, Conn conn) {
            this.channel = channel;
            this.conn = conn;
            QueryStringDecoder q = new QueryStringDecoder(req.uri());
            String authority = req.headers().get(HttpHeaderNames.HOST, "localhost");
            long length = HttpUtil.isTransferEncodingChunked(req) ? -1 : HttpUtil.getContentLength(req, 0L);
            int qi = req.uri().indexOf('?');
            this.request = new Request(req.method(), "https", authority.replaceFirst(":\\d+$", ""), authority,
                    q.path(), qi < 0 ? req.uri() : req.uri().substring(0, qi), qi < 0 ? null : req.uri().substring(qi + 1),
                    req.headers(), length, Protocol.HTTP_1_1, (InetSocketAddress) channel.remoteAddress(),
                    (InetSocketAddress) channel.localAddress(), null, "req-" + ids.incrementAndGet());
            bodyDone = length == 0;
        }

        boolean wantsRead() {
            return demand && queued.isEmpty() && !bodyDone;
        }

        void body(HttpContent c) {
            if (c instanceof LastHttpContent) {
                bodyDone = true;
            }
            queued.add(c);
            deliver();
        }

        private void deliver() {
            while (demand && receiver != null && !queued.isEmpty()) {
                demand = false;
                HttpContent c = queued.poll();
                receiver.onBody(c.content(), c instanceof LastHttpContent);
            }
        }

        void writable() {
            Runnable r;
            while (channel.isWritable() && (r = onWritable.poll()) != null) {
                r.run();
            }
        }

        void aborted() {
            if (!done) {
                done = true;
                queued.forEach(HttpContent::release);
                queued.clear();
                if (receiver != null && !bodyDone) {
                    receiver.onBodyError(new java.io.IOException("client gone"));
                }
                if (onAbort != null) {
                    onAbort.run();
                }
            }
        }

        @Override public Request request() { return request; }
        @Override public EventLoop eventLoop() { return channel.eventLoop(); }
        @Override public ByteBufAllocator alloc() { return channel.alloc(); }

        @Override
        public void receiveBody(BodyReceiver r) {
            receiver = r;
            requestBody();
        }

        @Override
        public void requestBody() {
            demand = true;
            if (!queued.isEmpty()) {
                deliver();
            } else if (!bodyDone) {
                channel.read();
            }
        }

        @Override
        public void sendHead(HttpResponseStatus status, HttpHeaders headers) {
            headSent = true;
            DefaultHttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, new DefaultHttpHeaders().add(headers));
            if (!res.headers().contains(HttpHeaderNames.CONTENT_LENGTH) && status.code() != 204 && status.code() != 304) {
                HttpUtil.setTransferEncodingChunked(res, true);
            }
            channel.write(res);
        }

        @Override
        public ChannelFuture write(ByteBuf chunk) {
            return channel.writeAndFlush(new DefaultHttpContent(chunk));
        }

        @Override
        public ChannelFuture writeAndEnd(ChunkedInput<ByteBuf> body) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ChannelFuture end() {
            done = true;
            ChannelFuture f = channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            if (!bodyDone) {
                f.addListener(ChannelFutureListener.CLOSE);
            } else {
                conn.done(this);
            }
            return f;
        }

        @Override public boolean isWritable() { return channel.isWritable(); }

        @Override
        public void onWritable(Runnable task) {
            if (channel.isWritable()) {
                task.run();
            } else {
                onWritable.add(task);
            }
        }

        @Override public void onAbort(Runnable task) { onAbort = task; }
        @Override public boolean headSent() { return headSent; }
        @Override public boolean isDone() { return done; }

        @Override
        public void abort() {
            done = true;
            channel.close();
        }

        @Override
        public void respond(HttpResponseStatus status, HttpHeaders headers, ByteBuf body) {
            DefaultFullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
            res.headers().add(headers);
            HttpUtil.setContentLength(res, body.readableBytes());
            headSent = true;
            done = true;
            ChannelFuture f = channel.writeAndFlush(res);
            if (!bodyDone) {
                f.addListener(ChannelFutureListener.CLOSE);
            } else {
                conn.done(this);
            }
        }

        @Override
        public void sendError(HttpResponseStatus status) {
            if (done) {
                return;
            }
            if (headSent) {
                abort();
                return;
            }
            respond(status, new DefaultHttpHeaders(), Unpooled.copiedBuffer(status.toString(), java.nio.charset.StandardCharsets.US_ASCII));
        }

        @Override
        public boolean switchProtocols(HttpHeaders headers, Consumer<Channel> onSwitched) {
            DefaultHttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS,
                    new DefaultHttpHeaders().add(headers));
            headSent = true;
            done = true;
            channel.writeAndFlush(res).addListener(f -> {
                if (!f.isSuccess()) {
                    channel.close();
                    return;
                }
                channel.pipeline().remove("app");
                channel.pipeline().remove("http");
                onSwitched.accept(channel);
            });
            return true;
        }

        @Override
        public void logAttribute(String key, String value) {
            lastLog.put(key, value);
        }
    }
}
