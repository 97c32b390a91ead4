/** The standalone example server. */
package dev.realtime.examples;
