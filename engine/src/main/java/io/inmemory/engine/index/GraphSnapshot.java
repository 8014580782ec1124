package io.inmemory.engine.index;

import com.github.jelmerk.hnswlib.core.ObjectSerializer;
import com.github.jelmerk.hnswlib.core.hnsw.HnswIndex;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidObjectException;
import java.io.ObjectInput;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutput;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The snapshot format of a {@link GraphStore}. Layout, big-endian:
 *
 * <pre>
 *   magic          8 bytes  "INMEMHNS"
 *   format version int      {@value #FORMAT_VERSION}
 *   embedder id    UTF      (DataOutput.writeUTF)
 *   dimension      int
 *   m              int
 *   efConstruction int
 *   count          int      live vectors
 *   nodes          int      graph nodes, live and deleted
 *   fingerprint    long     {@link Fingerprint} of the live (id, vector) pairs
 *   graph          hnswlib's own serialization of the HnswIndex (Java serialization driving its
 *                  writeObject), with compact serializers: an id is a UTF string; an item is its
 *                  id and a flag byte, followed by its vector only for deleted nodes, which the
 *                  graph keeps for routing while the store no longer has them. Live vectors are
 *                  not repeated: they are taken from the partition's memories on load.
 *   checksum       int      CRC32C of every byte before it
 * </pre>
 *
 * <p>Reading never trusts the file: the header must match the partition (embedder id, dimension,
 * m, efConstruction, count, fingerprint of the memories just loaded), the checksum is verified
 * over the whole file before anything is deserialized (a damaged length field must not make
 * hnswlib allocate a huge array), deserialization admits only the classes of this format, and
 * the restored graph must hold exactly the partition's ids with their vectors. Not instantiable.
 */
final class GraphSnapshot {

  static final int FORMAT_VERSION = 1;
  private static final long MAGIC = 0x494E4D454D484E53L;
  private static final int BUFFER = 1 << 16;
  private static final byte LIVE = 0;
  private static final byte DELETED = 1;
  private static final ObjectInputFilter CLASSES = ObjectInputFilter.Config.createFilter(
      "maxdepth=8;maxrefs=64;maxarray=64;"
          + HnswIndex.class.getName() + ";"
          + GraphStore.NegatedDot.class.getName() + ";"
          + IdSerializer.class.getName() + ";"
          + EntrySerializer.class.getName() + ";"
          + "java.util.Comparators$NaturalOrderComparator;java.lang.Enum;!*");

  private GraphSnapshot() {}

  record Header(String embedderId, int dimension, int m, int efConstruction, int count, int nodes,
      long fingerprint) {}

  /** Writes {@code store} to {@code out} (left open). The caller excludes writes meanwhile. */
  static void write(OutputStream out, String embedderId, GraphStore store) throws IOException {
    Fingerprint fingerprint = new Fingerprint();
    HnswIndex<String, float[], Entry, Float> graph = store.graph();
    for (Entry entry : graph.items()) {
      fingerprint.add(entry.id(), entry.vector());
    }
    // Never closed: closing would close the caller's stream.
    BufferedOutputStream buffered = new BufferedOutputStream(out, BUFFER);
    CRC32C crc = new CRC32C();
    CheckedOutputStream checked = new CheckedOutputStream(buffered, crc);
    DataOutputStream header = new DataOutputStream(checked);
    header.writeLong(MAGIC);
    header.writeInt(FORMAT_VERSION);
    header.writeUTF(embedderId);
    header.writeInt(graph.getDimensions());
    header.writeInt(graph.getM());
    header.writeInt(graph.getEfConstruction());
    header.writeInt(fingerprint.count());
    header.writeInt(store.nodes());
    header.writeLong(fingerprint.value());
    header.flush();
    GraphOutput objects = new GraphOutput(checked, graph);
    objects.writeObject(graph);
    objects.flush();
    new DataOutputStream(buffered).writeInt((int) crc.getValue());
    buffered.flush();
  }

  /**
   * Restores the graph of a partition whose live vectors are {@code vectors} (ids to unit
   * vectors, which the graph then shares).
   *
   * @throws InvalidSnapshotException when the snapshot does not fit the partition or is damaged
   * @throws IOException when it cannot be read
   */
  static GraphStore read(SnapshotSource source, String embedderId, int dimension,
      IndexSettings settings, Map<String, float[]> vectors) throws IOException {
    Header header;
    try (InputStream in = source.open()) {
      header = verify(new BufferedInputStream(in, BUFFER), embedderId, dimension, settings,
          vectors);
    }
    Map<String, Entry> live = new HashMap<>(vectors.size() * 4 / 3 + 1);
    vectors.forEach((id, vector) -> live.put(id, new Entry(id, vector)));
    try (InputStream in = new BufferedInputStream(source.open(), BUFFER)) {
      CRC32C crc = new CRC32C();
      CheckedInputStream checked = new CheckedInputStream(in, crc);
      if (!readHeader(new DataInputStream(checked)).equals(header)) {
        throw new InvalidSnapshotException("it changed while being read");
      }
      GraphInput objects = new GraphInput(checked, live, dimension);
      Object read = objects.readObject();
      int sum = (int) crc.getValue();
      if (new DataInputStream(in).readInt() != sum) {
        throw new InvalidSnapshotException("it changed while being read (checksum)");
      }
      @SuppressWarnings("unchecked")
      HnswIndex<String, float[], Entry, Float> graph = (HnswIndex<String, float[], Entry, Float>)
          read;
      checkGraph(graph, header, objects.nodes, live);
      return new GraphStore(settings, graph, live, header.nodes());
    } catch (InvalidSnapshotException e) {
      throw e;
    } catch (IOException | ClassNotFoundException | RuntimeException e) {
      throw new InvalidSnapshotException("its graph cannot be read (" + e + ")", e);
    }
  }

  /** Checks the header against the partition and the checksum over the whole snapshot. */
  private static Header verify(InputStream in, String embedderId, int dimension,
      IndexSettings settings, Map<String, float[]> vectors) throws IOException {
    CRC32C crc = new CRC32C();
    Header header;
    try {
      header = readHeader(new DataInputStream(new CheckedInputStream(in, crc)));
    } catch (EOFException e) {
      throw new InvalidSnapshotException("it is truncated (in its header)", e);
    }
    if (!header.embedderId().equals(embedderId)) {
      throw new InvalidSnapshotException("it was made for embedder " + header.embedderId()
          + ", not " + embedderId);
    }
    if (header.dimension() != dimension || header.m() != settings.m()
        || header.efConstruction() != settings.efConstruction()) {
      throw new InvalidSnapshotException("its dimension, m, efConstruction ("
          + header.dimension() + ", " + header.m() + ", " + header.efConstruction()
          + ") differ from the engine's (" + dimension + ", " + settings.m() + ", "
          + settings.efConstruction() + ")");
    }
    if (header.count() != vectors.size()) {
      throw new InvalidSnapshotException("it holds " + header.count() + " vectors, the store "
          + vectors.size() + " (stale)");
    }
    Fingerprint fingerprint = new Fingerprint();
    vectors.forEach(fingerprint::add);
    if (header.fingerprint() != fingerprint.value()) {
      throw new InvalidSnapshotException("its vectors differ from the store's (stale)");
    }
    if (readChecksummed(in, crc) != (int) crc.getValue()) {
      throw new InvalidSnapshotException("its checksum does not match (damaged)");
    }
    return header;
  }

  private static Header readHeader(DataInputStream in) throws IOException {
    if (in.readLong() != MAGIC) {
      throw new InvalidSnapshotException("it is not an index snapshot (no magic number)");
    }
    int version = in.readInt();
    if (version != FORMAT_VERSION) {
      throw new InvalidSnapshotException("its format version is " + version + ", not "
          + FORMAT_VERSION);
    }
    return new Header(in.readUTF(), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
        in.readInt(), in.readLong());
  }

  /**
   * Feeds the rest of {@code in} but its last 4 bytes to {@code crc} and returns those 4 bytes,
   * the stored checksum.
   */
  private static int readChecksummed(InputStream in, CRC32C crc) throws IOException {
    byte[] buffer = new byte[BUFFER];
    byte[] tail = new byte[4];
    int tailLength = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      int total = tailLength + n;
      int feed = total - 4;
      if (feed > 0) {
        int fromTail = Math.min(feed, tailLength);
        crc.update(tail, 0, fromTail);
        crc.update(buffer, 0, feed - fromTail);
        byte[] combined = new byte[4];
        int kept = 0;
        for (int i = fromTail; i < tailLength; i++) {
          combined[kept++] = tail[i];
        }
        int fromBuffer = 4 - kept;
        System.arraycopy(buffer, n - fromBuffer, combined, kept, fromBuffer);
        tail = combined;
        tailLength = 4;
      } else {
        System.arraycopy(buffer, 0, tail, tailLength, n);
        tailLength = total;
      }
    }
    if (tailLength < 4) {
      throw new InvalidSnapshotException("it is truncated (no checksum)");
    }
    return ((tail[0] & 0xFF) << 24) | ((tail[1] & 0xFF) << 16) | ((tail[2] & 0xFF) << 8)
        | (tail[3] & 0xFF);
  }

  /** The restored graph must hold exactly the partition's ids, each with its own vector. */
  private static void checkGraph(HnswIndex<String, float[], Entry, Float> graph, Header header,
      int nodesRead, Map<String, Entry> live) throws InvalidSnapshotException {
    if (graph.getDimensions() != header.dimension() || nodesRead != header.nodes()
        || graph.size() != live.size() || !graph.isRemoveEnabled()) {
      throw new InvalidSnapshotException("its graph does not match its header");
    }
    for (Entry entry : live.values()) {
      if (graph.get(entry.id()).orElse(null) != entry) {
        throw new InvalidSnapshotException("its graph lacks the vector of " + entry.id());
      }
    }
  }

  /** Ids as UTF strings; on load, the partition's own id instances, so none is held twice. */
  enum IdSerializer implements ObjectSerializer<String> {
    INSTANCE;

    @Override
    public void write(String id, ObjectOutput out) throws IOException {
      out.writeUTF(id);
    }

    @Override
    public String read(ObjectInput in) throws IOException {
      String id = in.readUTF();
      if (in instanceof GraphInput input) {
        Entry entry = input.live.get(id);
        return entry == null ? id : entry.id();
      }
      return id;
    }
  }

  /**
   * A live item as its id, resolved on load to the partition's vector; a deleted one (a tombstone
   * hnswlib keeps for routing) with its vector.
   */
  enum EntrySerializer implements ObjectSerializer<Entry> {
    INSTANCE;

    @Override
    public void write(Entry entry, ObjectOutput out) throws IOException {
      out.writeUTF(entry.id());
      if (!(out instanceof GraphOutput output)) {
        throw new InvalidObjectException("graph items are written by GraphSnapshot only");
      }
      if (output.graph.get(entry.id()).orElse(null) == entry) {
        out.writeByte(LIVE);
      } else {
        out.writeByte(DELETED);
        out.writeInt(entry.vector().length);
        for (float x : entry.vector()) {
          out.writeFloat(x);
        }
      }
    }

    @Override
    public Entry read(ObjectInput in) throws IOException {
      String id = in.readUTF();
      if (!(in instanceof GraphInput input)) {
        throw new InvalidObjectException("graph items are read by GraphSnapshot only");
      }
      input.nodes++;
      byte kind = in.readByte();
      if (kind == LIVE) {
        Entry entry = input.live.get(id);
        if (entry == null) {
          throw new InvalidSnapshotException("its graph names an unknown id " + id);
        }
        return entry;
      }
      int length = in.readInt();
      if (kind != DELETED || length != input.dimension) {
        throw new InvalidSnapshotException("its graph holds a malformed item");
      }
      float[] vector = new float[length];
      for (int i = 0; i < length; i++) {
        vector[i] = in.readFloat();
      }
      return new Entry(id, vector);
    }
  }

  /** Knows the graph being written, so that items can tell live from deleted. */
  private static final class GraphOutput extends ObjectOutputStream {
    final HnswIndex<String, float[], Entry, Float> graph;

    GraphOutput(OutputStream out, HnswIndex<String, float[], Entry, Float> graph)
        throws IOException {
      super(out);
      this.graph = graph;
    }
  }

  /** Knows the partition's live entries and counts the nodes read; admits this format only. */
  private static final class GraphInput extends ObjectInputStream {
    final Map<String, Entry> live;
    final int dimension;
    int nodes;

    GraphInput(InputStream in, Map<String, Entry> live, int dimension) throws IOException {
      super(in);
      this.live = live;
      this.dimension = dimension;
      setObjectInputFilter(CLASSES);
    }
  }
}
