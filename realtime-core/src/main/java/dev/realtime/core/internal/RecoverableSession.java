package dev.realtime.core.internal;

import java.util.Set;

/** What a disconnected Socket.IO socket leaves behind for connection state recovery. */
record RecoverableSession(String pid, String sid, String nsp, Set<String> rooms, String userId) {
}
