package io.github.rpcdiscovery.balancer;

/**
 * Chooses one node of a list. Implementations never allocate and never block: they run once per call.
 * <p>
 * Every picker honours ejection: an ejected node is chosen only when every node is ejected (then failing fast on all
 * of them would be worse than trying one).
 */
public interface Picker {

	/**
	 * @param nodes the candidates, not empty entries; not modified
	 * @return the index of the chosen node, or -1 if there are none
	 */
	int pick(NodeStats[] nodes);

	/**
	 * The first node from a start index on, wrapping around, that admits a call ({@link NodeStats#tryAdmit}: a node
	 * on probation admits one); -1 if none does. Claims the probation call of the node it returns.
	 */
	static int firstAdmitting(NodeStats[] nodes, int start, long now) {
		int n = nodes.length;
		for (int i = 0; i < n; i++) {
			int index = (start + i) % n;
			if (nodes[index].isAvailable(now) && nodes[index].tryAdmit(now)) {
				return index;
			}
		}
		return -1;
	}

	/** The first available node from a start index on, wrapping around; -1 if none is available. */
	static int firstAvailable(NodeStats[] nodes, int start, long now) {
		int n = nodes.length;
		for (int i = 0; i < n; i++) {
			int index = (start + i) % n;
			if (nodes[index].isAvailable(now)) {
				return index;
			}
		}
		return -1;
	}

}
