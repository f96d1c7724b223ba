package io.datomicgitops.jenkins.harness;

import java.io.Serializable;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A Groovy category that makes the iterators of CPS loops serializable, as Jenkins does for its programs: a
 * program paused inside {@code list.each { ... }} or {@code for (e in map)} holds the iterator, and the JDK's
 * iterators (and HashMap's entries) are not serializable. Groovy prefers a category method over an instance method
 * only when it names the same class, hence one method per collection class. Iterators walk a snapshot.
 */
public final class SerializableIterators {
    private SerializableIterators() {}

    public static <E> Iterator<E> iterator(ArrayList<E> self) { return snapshot(self); }

    public static <E> Iterator<E> iterator(LinkedList<E> self) { return snapshot(self); }

    public static <E> Iterator<E> iterator(HashSet<E> self) { return snapshot(self); }

    public static <E> Iterator<E> iterator(LinkedHashSet<E> self) { return snapshot(self); }

    public static <E> Iterator<E> iterator(TreeSet<E> self) { return snapshot(self); }

    public static <K, V> Set<Map.Entry<K, V>> entrySet(HashMap<K, V> self) { return entries(self); }

    public static <K, V> Set<Map.Entry<K, V>> entrySet(LinkedHashMap<K, V> self) { return entries(self); }

    public static <K, V> Set<Map.Entry<K, V>> entrySet(TreeMap<K, V> self) { return entries(self); }

    public static <K, V> Set<K> keySet(HashMap<K, V> self) { return new LinkedHashSet<>(self.keySet()); }

    public static <K, V> Set<K> keySet(LinkedHashMap<K, V> self) { return new LinkedHashSet<>(self.keySet()); }

    public static <K, V> Set<K> keySet(TreeMap<K, V> self) { return new LinkedHashSet<>(self.keySet()); }

    public static <K, V> Collection<V> values(HashMap<K, V> self) { return new ArrayList<>(self.values()); }

    public static <K, V> Collection<V> values(LinkedHashMap<K, V> self) { return new ArrayList<>(self.values()); }

    public static <K, V> Collection<V> values(TreeMap<K, V> self) { return new ArrayList<>(self.values()); }

    /** Entries copied into serializable pairs; changing them does not write through (unlike the map's own). */
    private static <K, V> Set<Map.Entry<K, V>> entries(Map<K, V> self) {
        Set<Map.Entry<K, V>> copy = new LinkedHashSet<>();
        for (Map.Entry<K, V> e : self.entrySet()) copy.add(new AbstractMap.SimpleEntry<>(e.getKey(), e.getValue()));
        return copy;
    }

    private static <E> Iterator<E> snapshot(Collection<E> self) {
        return new SnapshotIterator<>(new ArrayList<>(self));
    }

    static final class SnapshotIterator<E> implements Iterator<E>, Serializable {
        private static final long serialVersionUID = 1L;
        private final ArrayList<E> items;
        private int next;

        SnapshotIterator(List<E> items) {
            this.items = new ArrayList<>(items);
        }

        @Override
        public boolean hasNext() {
            return next < items.size();
        }

        @Override
        public E next() {
            if (!hasNext()) throw new NoSuchElementException();
            return items.get(next++);
        }
    }
}
