using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Backprop.Training;

namespace Iris;

/// <summary>Draws the training and validation loss per epoch as a small, self-contained SVG line chart.</summary>
public static class LossCurveSvg
{
    private const int Width = 720;
    private const int Height = 400;
    private const int Left = 64;
    private const int Right = 24;
    private const int Top = 48;
    private const int Bottom = 52;

    /// <summary>The SVG document for <paramref name="history"/>, titled <paramref name="title"/>.</summary>
    public static string Render(IReadOnlyList<EpochProgress> history, string title, string subtitle)
    {
        double maxLoss = history.Max(h => Math.Max(h.TrainLoss, h.ValidationLoss ?? 0));
        double yMax = NiceCeiling(maxLoss);
        int epochs = history.Count;
        double plotWidth = Width - Left - Right;
        double plotHeight = Height - Top - Bottom;
        double X(double epoch) => Left + (epochs == 1 ? 0 : (epoch - 1) / (epochs - 1) * plotWidth);
        double Y(double loss) => Top + plotHeight * (1 - loss / yMax);
        string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">""");
        svg.AppendLine("""  <rect width="100%" height="100%" fill="#ffffff"/>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""  <text x="{Left}" y="22" font-size="15" font-weight="600" fill="#222">{Escape(title)}</text>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""  <text x="{Left}" y="38" fill="#666">{Escape(subtitle)}</text>""");

        // Horizontal grid and loss labels.
        for (int i = 0; i <= 5; i++)
        {
            double loss = yMax * i / 5;
            svg.AppendLine(CultureInfo.InvariantCulture, $"""  <line x1="{Left}" y1="{F(Y(loss))}" x2="{Width - Right}" y2="{F(Y(loss))}" stroke="#e6e6e6"/>""");
            svg.AppendLine(CultureInfo.InvariantCulture, $"""  <text x="{Left - 8}" y="{F(Y(loss) + 4)}" text-anchor="end" fill="#555">{loss.ToString("0.0#", CultureInfo.InvariantCulture)}</text>""");
        }

        // Epoch ticks.
        int step = NiceStep(epochs);
        for (int epoch = step; epoch <= epochs; epoch += step)
        {
            svg.AppendLine(CultureInfo.InvariantCulture, $"""  <line x1="{F(X(epoch))}" y1="{Height - Bottom}" x2="{F(X(epoch))}" y2="{Height - Bottom + 5}" stroke="#555"/>""");
            svg.AppendLine(CultureInfo.InvariantCulture, $"""  <text x="{F(X(epoch))}" y="{Height - Bottom + 19}" text-anchor="middle" fill="#555">{epoch}</text>""");
        }

        svg.AppendLine(CultureInfo.InvariantCulture, $"""  <line x1="{Left}" y1="{Height - Bottom}" x2="{Width - Right}" y2="{Height - Bottom}" stroke="#555"/>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""  <line x1="{Left}" y1="{Top}" x2="{Left}" y2="{Height - Bottom}" stroke="#555"/>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""  <text x="{Left + plotWidth / 2}" y="{Height - 12}" text-anchor="middle" fill="#333">epoch</text>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""  <text transform="translate(18 {F(Top + plotHeight / 2)}) rotate(-90)" text-anchor="middle" fill="#333">mean cross-entropy</text>""");

        AppendLine(svg, history.Select(h => (X(h.Epoch), Y(h.TrainLoss))), "#1f77b4");
        if (history.All(h => h.ValidationLoss is not null))
        {
            AppendLine(svg, history.Select(h => (X(h.Epoch), Y(h.ValidationLoss!.Value))), "#ff7f0e");
        }

        // Legend, top right.
        int legendX = Width - Right - 150;
        svg.AppendLine(CultureInfo.InvariantCulture, $"""  <line x1="{legendX}" y1="{Top + 10}" x2="{legendX + 24}" y2="{Top + 10}" stroke="#1f77b4" stroke-width="2.5"/>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""  <text x="{legendX + 30}" y="{Top + 14}" fill="#333">training loss</text>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""  <line x1="{legendX}" y1="{Top + 28}" x2="{legendX + 24}" y2="{Top + 28}" stroke="#ff7f0e" stroke-width="2.5"/>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""  <text x="{legendX + 30}" y="{Top + 32}" fill="#333">validation loss</text>""");
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static void AppendLine(StringBuilder svg, IEnumerable<(double X, double Y)> points, string colour)
    {
        string path = string.Join(" ", points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.X:0.#},{p.Y:0.#}")));
        svg.AppendLine(CultureInfo.InvariantCulture, $"""  <polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5" stroke-linejoin="round"/>""");
    }

    private static double NiceCeiling(double value)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (double factor in new[] { 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 })
        {
            if (factor * magnitude >= value)
            {
                return factor * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static int NiceStep(int epochs)
    {
        foreach (int step in new[] { 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000 })
        {
            if (epochs / step <= 10)
            {
                return step;
            }
        }

        return epochs / 10;
    }

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
}
