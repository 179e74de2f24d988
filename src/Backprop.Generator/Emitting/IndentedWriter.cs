using System;
using System.Text;

namespace Backprop.Generator.Emitting;

/// <summary>
/// Writes C# line by line with four-space indentation and '\n' line endings, so the output is the
/// same bytes on every machine. <see cref="WriteBlock"/> opens a brace block that closes on dispose.
/// </summary>
internal sealed class IndentedWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _builder = new();
    private int _depth;

    public void WriteLine(string line)
    {
        for (int i = 0; i < _depth; i++)
        {
            _builder.Append(IndentUnit);
        }

        _builder.Append(line).Append('\n');
    }

    public void WriteBlankLine() => _builder.Append('\n');

    /// <summary>Writes <paramref name="header"/> (if any), then <c>{</c>; the returned block writes <c>}</c>.</summary>
    public Block WriteBlock(string? header = null)
    {
        if (header is not null)
        {
            WriteLine(header);
        }

        WriteLine("{");
        _depth++;
        return new Block(this);
    }

    public override string ToString() => _builder.ToString();

    public readonly struct Block(IndentedWriter writer) : IDisposable
    {
        public void Dispose()
        {
            writer._depth--;
            writer.WriteLine("}");
        }
    }
}
