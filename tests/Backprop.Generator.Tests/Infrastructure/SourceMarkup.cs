using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Backprop.Generator.Tests.Infrastructure;

/// <summary>
/// A test source with its expected diagnostic locations marked in the text, in the Roslyn testing
/// convention: <c>[|text|]</c> marks an unnamed span, <c>{|name:text|}</c> a named one. The markers are
/// removed before compiling; the spans are the positions of the marked text in what is compiled.
/// </summary>
internal sealed record MarkedSource(string Source, ImmutableArray<TextSpan> Spans, ImmutableDictionary<string, TextSpan> NamedSpans)
{
    /// <summary>The only unnamed span.</summary>
    public TextSpan Span => Spans.Length == 1
        ? Spans[0]
        : throw new InvalidOperationException($"The source marks {Spans.Length} unnamed spans, not one.");

    /// <summary>The text the span covers, to read in a failure message.</summary>
    public string TextOf(TextSpan span) => Source.Substring(span.Start, span.Length);
}

internal static class SourceMarkup
{
    /// <summary>Removes the markers of <paramref name="markup"/> and returns the source with the spans they marked.</summary>
    public static MarkedSource Parse(string markup)
    {
        var source = new StringBuilder(markup.Length);
        var spans = ImmutableArray.CreateBuilder<TextSpan>();
        var named = ImmutableDictionary.CreateBuilder<string, TextSpan>();
        var open = new Stack<(string? Name, int Start, char Kind)>();

        for (int i = 0; i < markup.Length; i++)
        {
            if (At(markup, i, "[|"))
            {
                open.Push((null, source.Length, '['));
                i++;
            }
            else if (At(markup, i, "{|"))
            {
                int colon = markup.IndexOf(':', i + 2);
                if (colon < 0)
                {
                    throw new FormatException($"'{{|' at {i} has no ':' after its name.");
                }

                open.Push((markup.Substring(i + 2, colon - i - 2), source.Length, '{'));
                i = colon;
            }
            else if (At(markup, i, "|]") || At(markup, i, "|}"))
            {
                char kind = markup[i + 1] == ']' ? '[' : '{';
                if (open.Count == 0 || open.Peek().Kind != kind)
                {
                    throw new FormatException($"'{markup.Substring(i, 2)}' at {i} closes no open marker.");
                }

                (string? name, int start, _) = open.Pop();
                TextSpan span = TextSpan.FromBounds(start, source.Length);
                if (name is null)
                {
                    spans.Add(span);
                }
                else if (!named.TryAdd(name, span))
                {
                    throw new FormatException($"The span name '{name}' is used twice.");
                }

                i++;
            }
            else
            {
                source.Append(markup[i]);
            }
        }

        if (open.Count > 0)
        {
            throw new FormatException($"{open.Count} marker(s) are not closed.");
        }

        return new MarkedSource(source.ToString(), spans.ToImmutable(), named.ToImmutable());
    }

    private static bool At(string text, int index, string marker) => string.CompareOrdinal(text, index, marker, 0, marker.Length) == 0;
}
