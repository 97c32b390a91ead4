/** Jakarta WebSocket adapter, standalone Tyrus server and Java client for the realtime hub. */
package dev.realtime.jakarta;
