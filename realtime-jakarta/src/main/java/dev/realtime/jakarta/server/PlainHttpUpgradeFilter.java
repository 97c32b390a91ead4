package dev.realtime.jakarta.server;

import java.io.IOException;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.FilterChainEvent;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpEvents;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.util.Header;

/**
 * Serves requests that offer an upgrade this server does not speak (e.g. {@code Upgrade: h2c}, sent by default
 * by {@code java.net.http.HttpClient}) as plain HTTP/1.1.
 *
 * <p>Grizzly's codec stops reading the body of any request carrying an {@code Upgrade} header until an upgrade
 * handler resets it; without HTTP/2 filters nobody does, so a POST with a body hangs (Grizzly issue #1972,
 * Jersey issue #6059). This filter sits behind the codec, answers the upgrade event for every protocol but
 * {@code websocket} by dropping the upgrade, and the request continues as ordinary HTTP. Stateless.
 */
final class PlainHttpUpgradeFilter extends BaseFilter {

    /** Registers the filter in front of the HTTP handler dispatch (and of Tyrus's filter). */
    static final AddOn ADD_ON = new AddOn() {
        @Override
        public void setup(NetworkListener listener, FilterChainBuilder builder) {
            int idx = builder.indexOfType(HttpServerFilter.class);
            if (idx >= 0) {
                builder.add(idx, new PlainHttpUpgradeFilter());
            }
        }
    };

    @Override
    public NextAction handleEvent(FilterChainContext ctx, FilterChainEvent event) throws IOException {
        if (event.type() == HttpEvents.IncomingHttpUpgradeEvent.TYPE) {
            HttpHeader header = ((HttpEvents.IncomingHttpUpgradeEvent) event).getHttpHeader();
            if (!"websocket".equalsIgnoreCase(header.getUpgrade())) {
                header.setIgnoreContentModifiers(false);
                header.getUpgradeDC().recycle();
                header.getHeaders().removeHeader(Header.Upgrade);
            }
        }
        return ctx.getInvokeAction();
    }
}
