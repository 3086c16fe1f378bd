package streams.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import streams.harness.Stat;

/**
 * Bar charts of the report, rendered headless with JFreeChart to PNG: one bar per runner and pipeline
 * (× mode), its height the median over the repeats, a whisker from the minimum to the maximum, and the
 * median written above it.
 */
final class Charts {
  private static final Map<String, Color> RUNNER_COLORS =
      Map.of(
          "direct", new Color(0x9E9E9E),
          "flink", new Color(0xC2255C),
          "spark", new Color(0xE8890C));
  static final int WIDTH = 900;
  static final int HEIGHT = 460;

  private Charts() {}

  /**
   * Writes a bar chart of {@code figure} to {@code file}; configurations without the figure are left out.
   *
   * @param labelFormat the format of the median written above each bar, e.g. {@code "%.0f"}
   */
  static void bars(
      Path file,
      String title,
      String subtitle,
      String valueAxis,
      List<Summary> summaries,
      Function<Summary, Stat> figure,
      String labelFormat)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    boolean severalModes = summaries.stream().map(s -> s.mode).distinct().count() > 1;
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    Map<String, Stat> stats = new HashMap<>();
    for (Summary s : summaries) {
      Stat st = figure.apply(s);
      if (st == null) {
        continue;
      }
      String category = severalModes ? s.pipeline + " (" + s.mode + ")" : s.pipeline;
      data.addValue(st.median, s.runner, category);
      stats.put(s.runner + "\u0000" + category, st);
    }
    WhiskerBarRenderer renderer = new WhiskerBarRenderer(stats, labelFormat);
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setItemMargin(0.08);
    renderer.setMaximumBarWidth(0.12);
    for (int i = 0; i < data.getRowCount(); i++) {
      renderer.setSeriesPaint(i, RUNNER_COLORS.getOrDefault(String.valueOf(data.getRowKey(i)), Color.GRAY));
    }
    NumberAxis axis = new NumberAxis(valueAxis);
    // The axis must reach the highest whisker and the label above it, not only the medians.
    double top = stats.values().stream().mapToDouble(st -> st.max).max().orElse(0);
    if (top > 0) {
      axis.setRange(0.0, top * 1.15);
    }
    axis.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.###"));
    CategoryAxis categories = new CategoryAxis(null);
    categories.setTickLabelFont(new Font("SansSerif", Font.PLAIN, 13));
    CategoryPlot plot = new CategoryPlot(data, categories, axis, renderer);
    plot.setOrientation(PlotOrientation.VERTICAL);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(new Color(0xDDDDDD));
    plot.setOutlineVisible(false);
    JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 16), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    if (subtitle != null) {
      chart.addSubtitle(new TextTitle(subtitle, new Font("SansSerif", Font.PLAIN, 12)));
    }
    ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
  }

  /**
   * Writes a latency CDF: per runner, the fraction of results (y) delivered within x milliseconds, from one
   * run's percentiles (0 = minimum, 1..100).
   */
  static void cdf(Path file, String title, String subtitle, Map<String, List<Double>> percentilesByRunner)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    org.jfree.data.xy.XYSeriesCollection data = new org.jfree.data.xy.XYSeriesCollection();
    for (Map.Entry<String, List<Double>> e : percentilesByRunner.entrySet()) {
      org.jfree.data.xy.XYSeries series = new org.jfree.data.xy.XYSeries(e.getKey(), false, true);
      List<Double> p = e.getValue();
      for (int i = 0; i < p.size(); i++) {
        series.add(p.get(i).doubleValue(), i / 100.0);
      }
      data.addSeries(series);
    }
    NumberAxis x = new NumberAxis("end-to-end latency (ms, broker append times)");
    x.setNumberFormatOverride(new java.text.DecimalFormat("#,##0"));
    NumberAxis y = new NumberAxis("fraction of results");
    y.setRange(0.0, 1.0);
    org.jfree.chart.renderer.xy.XYLineAndShapeRenderer renderer =
        new org.jfree.chart.renderer.xy.XYLineAndShapeRenderer(true, false);
    int i = 0;
    for (String runner : percentilesByRunner.keySet()) {
      renderer.setSeriesPaint(i, RUNNER_COLORS.getOrDefault(runner, Color.GRAY));
      renderer.setSeriesStroke(i, new BasicStroke(2.5f));
      i++;
    }
    org.jfree.chart.plot.XYPlot plot = new org.jfree.chart.plot.XYPlot(data, x, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xDDDDDD));
    plot.setRangeGridlinePaint(new Color(0xDDDDDD));
    plot.setOutlineVisible(false);
    JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 16), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    if (subtitle != null) {
      chart.addSubtitle(new TextTitle(subtitle, new Font("SansSerif", Font.PLAIN, 12)));
    }
    ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
  }

  /** Bars at the median, with a min–max whisker and the median as text above. */
  private static final class WhiskerBarRenderer extends BarRenderer {
    private static final long serialVersionUID = 1L;
    private final transient Map<String, Stat> stats;
    private final String labelFormat;

    WhiskerBarRenderer(Map<String, Stat> stats, String labelFormat) {
      this.stats = stats;
      this.labelFormat = labelFormat;
    }

    @Override
    public void drawItem(
        Graphics2D g2,
        CategoryItemRendererState state,
        Rectangle2D dataArea,
        CategoryPlot plot,
        CategoryAxis domainAxis,
        ValueAxis rangeAxis,
        CategoryDataset dataset,
        int row,
        int column,
        int pass) {
      super.drawItem(g2, state, dataArea, plot, domainAxis, rangeAxis, dataset, row, column, pass);
      int visibleRow = state.getVisibleSeriesIndex(row);
      if (pass != getPassCount() - 1 || visibleRow < 0 || dataset.getValue(row, column) == null) {
        return;
      }
      Stat s = stats.get(dataset.getRowKey(row) + "\u0000" + dataset.getColumnKey(column));
      if (s == null) {
        return;
      }
      double width = state.getBarWidth();
      double x = calculateBarW0(plot, plot.getOrientation(), dataArea, domainAxis, state, visibleRow, column) + width / 2;
      double yMin = rangeAxis.valueToJava2D(s.min, dataArea, plot.getRangeAxisEdge());
      double yMax = rangeAxis.valueToJava2D(s.max, dataArea, plot.getRangeAxisEdge());
      g2.setPaint(new Color(0x333333));
      if (s.n > 1 && s.max > s.min) {
        double cap = Math.min(width / 4, 8);
        g2.setStroke(new BasicStroke(1.4f));
        g2.draw(new Line2D.Double(x, yMin, x, yMax));
        g2.draw(new Line2D.Double(x - cap, yMin, x + cap, yMin));
        g2.draw(new Line2D.Double(x - cap, yMax, x + cap, yMax));
      }
      g2.setFont(new Font("SansSerif", Font.PLAIN, 11));
      String label = String.format(Locale.ROOT, labelFormat, s.median);
      FontMetrics fm = g2.getFontMetrics();
      g2.drawString(label, (float) (x - fm.stringWidth(label) / 2.0), (float) (yMax - 5));
    }
  }
}
