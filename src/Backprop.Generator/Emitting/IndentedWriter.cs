using System;
using System.Text;

namespace Backprop.Generator.Emitting;

/// <summary>
/// Writes C# line by line with four-space indentation and '\n' line endings, so the output is the
/// same bytes on every machine. <see cref="WriteBlock"/> opens a brace block that closes on dispose.
/// No line passes <see cref="LineWidth"/> where it can be broken: comments wrap at spaces, code at the
/// places <see cref="LineBreaker"/> chooses.
/// </summary>
internal sealed class IndentedWriter
{
    private const string IndentUnit = "    ";

    /// <summary>The longest line the writer writes, indentation included, unless one word or literal is longer.</summary>
    public const int LineWidth = 120;

    /// <summary>What a wrapped <c>//</c> comment's continuation lines start with, so they read as one comment.</summary>
    private const string CommentContinuation = "//   ";

    private const string DocumentationPrefix = "/// ";
    private const string SummaryStart = "/// <summary>";
    private const string SummaryEnd = "</summary>";

    private readonly StringBuilder _builder = new();
    private int _depth;

    private int Indent => _depth * IndentUnit.Length;

    /// <summary>
    /// Writes one line at the current indentation. A line that would pass <see cref="LineWidth"/> is broken: a
    /// <c>//</c> comment at spaces, its continuation lines indented under the first; a <c>///</c> comment at
    /// spaces outside its XML tags; code where <see cref="LineBreaker"/> says, its continuation lines one level in.
    /// </summary>
    public void WriteLine(string line)
    {
        if (Indent + line.Length <= LineWidth)
        {
            WriteIndented(line);
        }
        else if (line.StartsWith(SummaryStart, StringComparison.Ordinal) && line.EndsWith(SummaryEnd, StringComparison.Ordinal))
        {
            // A one-line summary that does not fit becomes the usual three-part one.
            WriteIndented(SummaryStart);
            WrapComment(DocumentationPrefix + line.Substring(SummaryStart.Length, line.Length - SummaryStart.Length - SummaryEnd.Length), DocumentationPrefix, outsideXmlTags: true);
            WriteIndented(DocumentationPrefix + SummaryEnd);
        }
        else if (line.StartsWith(DocumentationPrefix, StringComparison.Ordinal))
        {
            WrapComment(line, DocumentationPrefix, outsideXmlTags: true);
        }
        else if (line.StartsWith("//", StringComparison.Ordinal))
        {
            WrapComment(line, CommentContinuation, outsideXmlTags: false);
        }
        else
        {
            WriteCode(line);
        }
    }

    /// <summary>
    /// Writes a <c>//</c> comment whose continuation lines start with <paramref name="continuation"/>, for comments
    /// laid out as a table (<c>// Loss:     …</c> continues under the text, not under the label).
    /// </summary>
    public void WriteComment(string line, string continuation)
    {
        if (Indent + line.Length <= LineWidth)
        {
            WriteIndented(line);
        }
        else
        {
            WrapComment(line, continuation, outsideXmlTags: false);
        }
    }

    /// <summary>
    /// Writes <c>declaration = "value";</c> (or <c>=&gt;</c> for an expression-bodied member), on one line when it
    /// fits, else with the value on the lines below as a concatenation of pieces cut after spaces: the string is
    /// the same. <paramref name="value"/> is text without quotes or backslashes, written as it is.
    /// </summary>
    public void WriteStringConstant(string declaration, string value, string assignment = "=")
    {
        string line = $"{declaration} {assignment} \"{value}\";";
        if (Indent + line.Length <= LineWidth)
        {
            WriteIndented(line);
            return;
        }

        WriteIndented($"{declaration} {assignment}");
        _depth++;
        int room = LineWidth - Indent - "\"\" +".Length;
        string rest = value;
        while (rest.Length > room)
        {
            int cut = rest.LastIndexOf(' ', room - 1);
            if (cut <= 0)
            {
                break;
            }

            WriteIndented($"\"{rest.Substring(0, cut + 1)}\" +");
            rest = rest.Substring(cut + 1);
        }

        WriteIndented($"\"{rest}\";");
        _depth--;
    }

    private void WrapComment(string line, string continuation, bool outsideXmlTags)
    {
        string rest = line;
        string prefix = "";
        while (Indent + prefix.Length + rest.Length > LineWidth)
        {
            int cut = LastBreakableSpace(rest, LineWidth - Indent - prefix.Length, outsideXmlTags);
            if (cut <= continuation.Length)
            {
                break; // one word longer than the line: leave it whole
            }

            WriteIndented(prefix + rest.Substring(0, cut).TrimEnd());
            rest = rest.Substring(cut + 1).TrimStart();
            prefix = continuation;
        }

        WriteIndented(prefix + rest);
    }

    /// <summary>The last space at or before <paramref name="room"/>, outside <c>&lt;…&gt;</c> when asked.</summary>
    private static int LastBreakableSpace(string text, int room, bool outsideXmlTags)
    {
        int last = -1;
        bool inTag = false;
        for (int i = 0; i < text.Length && i <= room; i++)
        {
            char c = text[i];
            if (outsideXmlTags && c == '<')
            {
                inTag = true;
            }
            else if (outsideXmlTags && c == '>')
            {
                inTag = false;
            }
            else if (c == ' ' && !inTag)
            {
                last = i;
            }
        }

        return last;
    }

    /// <summary>Writes a statement or declaration, broken where <see cref="LineBreaker"/> says; continuation lines one level in.</summary>
    private void WriteCode(string line)
    {
        int[] breaks = LineBreaker.Breaks(line, LineWidth - Indent, LineWidth - Indent - IndentUnit.Length);
        int start = 0;
        for (int i = 0; i <= breaks.Length; i++)
        {
            int end = i < breaks.Length ? breaks[i] : line.Length;
            string piece = line.Substring(start, end - start).Trim();
            WriteIndented(i == 0 ? piece : IndentUnit + piece);
            start = end;
        }
    }

    private void WriteIndented(string line)
    {
        for (int i = 0; i < _depth; i++)
        {
            _builder.Append(IndentUnit);
        }

        _builder.Append(line).Append('\n');
    }

    public void WriteBlankLine() => _builder.Append('\n');

    /// <summary>
    /// Writes <paramref name="header"/> (if any), then <c>{</c>; the returned block writes <paramref name="close"/>:
    /// <c>}</c>, or <c>};</c> after an array's initializer.
    /// </summary>
    public Block WriteBlock(string? header = null, string close = "}")
    {
        if (header is not null)
        {
            WriteLine(header);
        }

        WriteLine("{");
        _depth++;
        return new Block(this, close);
    }

    public override string ToString() => _builder.ToString();

    public readonly struct Block(IndentedWriter writer, string close) : IDisposable
    {
        public void Dispose()
        {
            writer._depth--;
            writer.WriteLine(close);
        }
    }
}
