package dev.tally.launcher;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Loopback ports free right now, so that tests never collide with a running local pipeline. */
final class FreePorts {

    private FreePorts() {}

    static LocalPorts allocate() throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                sockets.add(new ServerSocket(0));
            }
            return new LocalPorts(
                    sockets.get(0).getLocalPort(),
                    sockets.get(1).getLocalPort(),
                    sockets.get(2).getLocalPort(),
                    sockets.get(3).getLocalPort(),
                    sockets.get(4).getLocalPort(),
                    sockets.get(5).getLocalPort());
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
