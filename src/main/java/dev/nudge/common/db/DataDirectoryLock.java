package dev.nudge.common.db;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A lock on {@code nudge.lock} in the data directory, held for the life of the service that runs
 * the embedded PostgreSQL there. The operating system releases it when that process ends however it
 * ends (SIGKILL included), so a lock that cannot be taken means a live service uses the directory,
 * while a PostgreSQL without a lock holder is a leftover that may be stopped.
 */
final class DataDirectoryLock {

  /** The directory is in use by another live service. */
  static final class Held extends Exception {
    Held(String message) {
      super(message, null, false, false);
    }
  }

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock or says who holds it; the file then names this process. */
  static DataDirectoryLock take(Path dataDir) throws IOException, Held {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve("nudge.lock");
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
      channel.close();
      throw new Held(
          "Nudge: the data directory "
              + dataDir
              + " is in use by another running Nudge"
              + (holder.isEmpty() ? "" : " (PID " + holder + ")")
              + "; stop it first, or give this one its own NUDGE_DATA_DIR.");
    }
    channel.truncate(0);
    channel.write(
        ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
        0);
    channel.force(true);
    return new DataDirectoryLock(channel, lock);
  }

  /** Releases the lock once the server has stopped. */
  void release() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // The process is exiting; the operating system releases the lock with it.
    }
  }
}
