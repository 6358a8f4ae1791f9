package io.github.rpcdiscovery.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain-text table for harness output, markdown-compatible so figures paste into the README. */
public final class Table {

	private final List<String[]> rows = new ArrayList<>();

	public Table(String... header) {
		this.rows.add(header);
	}

	public Table row(Object... cells) {
		this.rows.add(Arrays.stream(cells).map(String::valueOf).toArray(String[]::new));
		return this;
	}

	@Override
	public String toString() {
		int columns = this.rows.get(0).length;
		int[] widths = new int[columns];
		for (String[] row : this.rows) {
			for (int i = 0; i < columns && i < row.length; i++) {
				widths[i] = Math.max(widths[i], row[i].length());
			}
		}
		StringBuilder out = new StringBuilder();
		for (int r = 0; r < this.rows.size(); r++) {
			out.append('|');
			for (int i = 0; i < columns; i++) {
				String cell = (i < this.rows.get(r).length) ? this.rows.get(r)[i] : "";
				out.append(' ').append(cell).append(" ".repeat(widths[i] - cell.length())).append(" |");
			}
			out.append('\n');
			if (r == 0) {
				out.append('|');
				for (int width : widths) {
					out.append('-').append("-".repeat(width)).append("-|");
				}
				out.append('\n');
			}
		}
		return out.toString();
	}

	/** The p-th percentile (0..100) of sorted values, nearest rank. */
	public static double percentile(double[] sorted, double p) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int rank = (int) Math.ceil(p / 100.0 * sorted.length);
		return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
	}

}
