using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Backprop.Interop.Formats;

/// <summary>
/// The one reader of the safetensors format (an 8-byte little-endian header length, a JSON header naming each
/// tensor's dtype, shape and byte range, then the tensors' bytes), shared by the runtime's <c>SafeTensors.Load</c>,
/// which reads a stream piece by piece, and the generator, which reads a whole file compiled into a network. Every
/// refusal is an <see cref="InvalidModelException"/> whose message starts with the subject.
/// </summary>
/// <remarks>
/// Compiled for .NET Standard 2.0 too, so the header is read by a small strict JSON reader of its own (RFC 8259: no
/// comments, no trailing commas, valid UTF-8 strings, nesting at most 8 deep) rather than by System.Text.Json.
/// </remarks>
internal static class SafeTensorsFile
{
    /// <summary>The length of the header length that starts the file.</summary>
    public const int PrefixLength = 8;

    /// <summary>The largest header read, as the reference implementation's: 100 MB.</summary>
    public const long MaxHeaderLength = 100_000_000;

    /// <summary>
    /// The header's length, from the file's first bytes (<paramref name="prefix"/>, fewer than 8 when the file is that
    /// short), checked to be one a safetensors file has and to fit the <paramref name="available"/> bytes after it.
    /// </summary>
    public static long HeaderLength(ReadOnlySpan<byte> prefix, string subject, long available)
    {
        if (prefix.Length < PrefixLength)
        {
            throw new InvalidModelException(
                ModelProblem.Truncated,
                $"{subject} is truncated: it has {prefix.Length} byte(s), fewer than the 8 of a safetensors header length.");
        }

        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (length < 2 || length > MaxHeaderLength)
        {
            throw new InvalidModelException(
                ModelProblem.NotAModel,
                $"{subject} is not a safetensors file: its first 8 bytes announce a header of {length.ToString(CultureInfo.InvariantCulture)} bytes " +
                $"(a safetensors header holds 2 to {MaxHeaderLength.ToString(CultureInfo.InvariantCulture)}).");
        }

        if ((long)length > available)
        {
            throw new InvalidModelException(
                ModelProblem.Truncated,
                $"{subject} is truncated: its header is announced as {length.ToString(CultureInfo.InvariantCulture)} bytes, but only {available.ToString(CultureInfo.InvariantCulture)} follow.");
        }

        return (long)length;
    }

    /// <summary>The tensors the header announces, in its order (<c>__metadata__</c> is skipped).</summary>
    public static List<SafeTensorsEntry> ParseHeader(ReadOnlySpan<byte> header, string subject)
    {
        var entries = new List<SafeTensorsEntry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var json = new JsonReader(header, subject);
        json.Expect(json.TryConsume((byte)'{'), "the header is not a JSON object");
        if (!json.TryConsume((byte)'}'))
        {
            do
            {
                string name = json.ReadString("a tensor name");
                json.Consume((byte)':');
                if (name == "__metadata__")
                {
                    json.Expect(json.Peek() == (byte)'{', $"'{name}' is not an object");
                    json.SkipValue(depth: 1);
                    continue;
                }

                json.Expect(json.TryConsume((byte)'{'), $"'{name}' is not an object");
                string? dtype = null;
                long[]? shape = null;
                long[]? offsets = null;
                if (!json.TryConsume((byte)'}'))
                {
                    do
                    {
                        string field = json.ReadString("a field name");
                        json.Consume((byte)':');
                        switch (field)
                        {
                            case "dtype":
                                json.Expect(json.Peek() == (byte)'"', $"the dtype of '{name}' is not a string");
                                dtype = json.ReadString($"the dtype of '{name}'");
                                break;
                            case "shape":
                                shape = json.ReadCounts($"the shape of '{name}'");
                                break;
                            case "data_offsets":
                                offsets = json.ReadCounts($"the data offsets of '{name}'");
                                break;
                            default:
                                json.SkipValue(depth: 2);
                                break;
                        }
                    }
                    while (json.TryConsume((byte)','));

                    json.Consume((byte)'}');
                }

                json.Expect(dtype is not null && shape is not null && offsets is not null, $"'{name}' lacks its dtype, shape or data offsets");
                json.Expect(offsets!.Length == 2 && offsets[0] <= offsets[1], $"the data offsets of '{name}' are not a range [begin, end]");
                json.Expect(names.Add(name), $"'{name}' appears twice");
                entries.Add(new SafeTensorsEntry(name, dtype!, shape!, offsets[0], offsets[1]));
            }
            while (json.TryConsume((byte)','));

            json.Expect(json.TryConsume((byte)'}'), "the header object is not closed");
        }

        json.Expect(json.AtEnd, "something follows the header object");
        return entries;
    }

    /// <summary>
    /// Checks that the tensors' byte ranges are each as long as its tensor and together cover the data exactly, with no
    /// gap or overlap; returns the data's length. Every dtype must be one this library reads (F32, F64).
    /// </summary>
    public static long DataLength(IEnumerable<SafeTensorsEntry> entries, string subject)
    {
        var ranges = new List<SafeTensorsEntry>(entries);
        ranges.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        long next = 0;
        foreach (SafeTensorsEntry entry in ranges)
        {
            int size = entry.ElementSize
                ?? throw new InvalidModelException(
                    ModelProblem.Unsupported,
                    $"{subject} holds '{entry.Name}' as {entry.DType}; this library reads F32 (float) and F64 (double) tensors.");
            long expectedBytes = entry.ElementCount * size;
            if (entry.Begin != next || entry.End - entry.Begin != expectedBytes)
            {
                throw new InvalidModelException(
                    ModelProblem.Corrupted,
                    $"{subject} is corrupted: tensor '{entry.Name}' claims bytes {entry.Begin.ToString(CultureInfo.InvariantCulture)} to {entry.End.ToString(CultureInfo.InvariantCulture)}, " +
                    $"where {expectedBytes.ToString(CultureInfo.InvariantCulture)} bytes from {next.ToString(CultureInfo.InvariantCulture)} were due.");
            }

            next = entry.End;
        }

        return next;
    }

    /// <summary>Checks that exactly the <paramref name="needed"/> bytes of data follow the header.</summary>
    public static void CheckDataBytes(long present, long needed, string subject)
    {
        if (present < needed)
        {
            throw new InvalidModelException(
                ModelProblem.Truncated,
                $"{subject} is truncated: its tensors need {needed.ToString(CultureInfo.InvariantCulture)} bytes of data, and {present.ToString(CultureInfo.InvariantCulture)} follow the header.");
        }

        if (present > needed)
        {
            throw new InvalidModelException(
                ModelProblem.Corrupted,
                $"{subject} is corrupted: {(present - needed).ToString(CultureInfo.InvariantCulture)} byte(s) follow the last tensor.");
        }
    }

    /// <summary>A whole file in memory: its header and data, checked as the runtime checks a file.</summary>
    public static SafeTensorsModel Read(byte[] file, string subject)
    {
        ReadOnlySpan<byte> bytes = file;
        long headerLength = HeaderLength(bytes.Slice(0, Math.Min(bytes.Length, PrefixLength)), subject, bytes.Length - (long)PrefixLength);
        List<SafeTensorsEntry> entries = ParseHeader(bytes.Slice(PrefixLength, (int)headerLength), subject);
        long dataLength = DataLength(entries, subject);
        int dataStart = PrefixLength + (int)headerLength;
        CheckDataBytes(file.Length - dataStart, dataLength, subject);
        return new SafeTensorsModel(entries, file, dataStart);
    }
}

/// <summary>A tensor a safetensors header announces: its dtype, shape, and byte range within the data.</summary>
internal sealed class SafeTensorsEntry
{
    public SafeTensorsEntry(string name, string dtype, long[] shape, long begin, long end)
    {
        Name = name;
        DType = dtype;
        Shape = shape;
        Begin = begin;
        End = end;
    }

    public string Name { get; }

    /// <summary>The dtype as the header writes it: <c>F32</c>, <c>F64</c>, <c>F16</c>, …</summary>
    public string DType { get; }

    public long[] Shape { get; }

    public long Begin { get; }

    public long End { get; }

    /// <summary>The bytes of one value: 4 for F32, 8 for F64; null for a dtype this library does not read.</summary>
    public int? ElementSize => DType switch
    {
        "F32" => 4,
        "F64" => 8,
        _ => null,
    };

    /// <summary>The product of the dimensions, saturated at int.MaxValue (no tensor this library reads is larger).</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (long dimension in Shape)
            {
                count = dimension == 0 || count <= int.MaxValue / dimension ? count * dimension : int.MaxValue;
            }

            return count;
        }
    }

    /// <summary>"[3, 8]".</summary>
    public string DescribeShape() => Describe(Shape);

    public static string Describe(IReadOnlyList<long> shape)
    {
        var parts = new string[shape.Count];
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = shape[i].ToString(CultureInfo.InvariantCulture);
        }

        return "[" + string.Join(", ", parts) + "]";
    }
}

/// <summary>A whole safetensors file, checked: its tensors in header order and their values.</summary>
internal sealed class SafeTensorsModel
{
    private readonly byte[] _file;
    private readonly int _dataStart;

    public SafeTensorsModel(IReadOnlyList<SafeTensorsEntry> entries, byte[] file, int dataStart)
    {
        Entries = entries;
        _file = file;
        _dataStart = dataStart;
    }

    public IReadOnlyList<SafeTensorsEntry> Entries { get; }

    /// <summary>The tensor named <paramref name="name"/>, or null.</summary>
    public SafeTensorsEntry? Find(string name)
    {
        foreach (SafeTensorsEntry entry in Entries)
        {
            if (entry.Name == name)
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The tensor's values as doubles (exact for F32), in its row-major order.</summary>
    public double[] Values(SafeTensorsEntry entry)
    {
        int size = entry.ElementSize ?? throw new ArgumentException($"'{entry.Name}' is {entry.DType}.", nameof(entry));
        var values = new double[(int)entry.ElementCount];
        ReadOnlySpan<byte> data = _file.AsSpan(_dataStart + (int)entry.Begin, values.Length * size);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = size == 4 ? LittleEndian.ReadSingle(data.Slice(4 * i)) : LittleEndian.ReadDouble(data.Slice(8 * i));
        }

        return values;
    }
}

/// <summary>
/// A strict JSON reader over UTF-8 bytes, enough for a safetensors header: objects, arrays, strings (every escape,
/// valid UTF-8 only), numbers, literals; at most 8 levels deep, as the runtime's reader was configured.
/// </summary>
internal ref struct JsonReader
{
    private const int MaxDepth = 8;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _json;
    private readonly string _subject;
    private int _position;

    public JsonReader(ReadOnlySpan<byte> json, string subject)
    {
        _json = json;
        _subject = subject;
        _position = 0;
    }

    /// <summary>True once only whitespace is left.</summary>
    public bool AtEnd
    {
        get
        {
            SkipWhitespace();
            return _position == _json.Length;
        }
    }

    /// <summary>The next byte that is not whitespace, or 0 at the end.</summary>
    public byte Peek()
    {
        SkipWhitespace();
        return _position < _json.Length ? _json[_position] : (byte)0;
    }

    public bool TryConsume(byte token)
    {
        if (Peek() != token)
        {
            return false;
        }

        _position++;
        return true;
    }

    public void Consume(byte token)
    {
        if (!TryConsume(token))
        {
            throw Invalid($"'{(char)token}' expected {Where()}");
        }
    }

    /// <summary>Throws the corruption <paramref name="problem"/> unless <paramref name="condition"/> holds.</summary>
    public readonly void Expect(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidModelException(ModelProblem.Corrupted, $"{_subject} is corrupted: {problem}.");
        }
    }

    /// <summary>An array of non-negative integers of at most 8 entries.</summary>
    public long[] ReadCounts(string what)
    {
        Expect(TryConsume((byte)'['), $"{what} is not an array");
        var values = new List<long>();
        if (!TryConsume((byte)']'))
        {
            do
            {
                Expect(TryReadCount(out long value), $"{what} holds something other than a count");
                values.Add(value);
                Expect(values.Count <= 8, $"{what} has more than 8 entries");
            }
            while (TryConsume((byte)','));

            Consume((byte)']');
        }

        return [.. values];
    }

    public string ReadString(string what)
    {
        if (Peek() != (byte)'"')
        {
            throw Invalid($"{what} expected {Where()}");
        }

        _position++;
        var text = new StringBuilder();
        int runStart = _position;
        while (true)
        {
            if (_position >= _json.Length)
            {
                throw Invalid("a string is not closed");
            }

            byte b = _json[_position];
            if (b == (byte)'"')
            {
                AppendUtf8(text, runStart, _position);
                _position++;
                return text.ToString();
            }

            if (b < 0x20)
            {
                throw Invalid($"a string holds the control character 0x{b:X2} {Where()}");
            }

            if (b != (byte)'\\')
            {
                _position++;
                continue;
            }

            AppendUtf8(text, runStart, _position);
            _position++;
            if (_position >= _json.Length)
            {
                throw Invalid("a string is not closed");
            }

            byte escape = _json[_position++];
            switch (escape)
            {
                case (byte)'"': text.Append('"'); break;
                case (byte)'\\': text.Append('\\'); break;
                case (byte)'/': text.Append('/'); break;
                case (byte)'b': text.Append('\b'); break;
                case (byte)'f': text.Append('\f'); break;
                case (byte)'n': text.Append('\n'); break;
                case (byte)'r': text.Append('\r'); break;
                case (byte)'t': text.Append('\t'); break;
                case (byte)'u': text.Append(ReadUnicodeEscape()); break;
                default: throw Invalid($"a string holds the escape '\\{(char)escape}' {Where()}");
            }

            runStart = _position;
        }
    }

    /// <summary>Skips one value of any kind; <paramref name="depth"/> is the nesting it stands at.</summary>
    public void SkipValue(int depth)
    {
        switch (Peek())
        {
            case (byte)'{':
            case (byte)'[':
            {
                byte close = _json[_position] == (byte)'{' ? (byte)'}' : (byte)']';
                bool isObject = close == (byte)'}';
                Expect(depth < MaxDepth, $"its header nests deeper than {MaxDepth} levels");
                _position++;
                if (TryConsume(close))
                {
                    return;
                }

                do
                {
                    if (isObject)
                    {
                        ReadString("a field name");
                        Consume((byte)':');
                    }

                    SkipValue(depth + 1);
                }
                while (TryConsume((byte)','));

                Consume(close);
                return;
            }

            case (byte)'"':
                ReadString("a string");
                return;
            case (byte)'t':
                Literal("true");
                return;
            case (byte)'f':
                Literal("false");
                return;
            case (byte)'n':
                Literal("null");
                return;
            default:
                SkipNumber();
                return;
        }
    }

    private bool TryReadCount(out long value)
    {
        value = 0;
        int start = _position = SkipWhitespaceAt(_position);
        if (Current is < (byte)'0' or > (byte)'9')
        {
            return false; // a sign, or no number at all
        }

        SkipNumber();
        ReadOnlySpan<byte> number = _json.Slice(start, _position - start);
        if (number.Length > 1 && number[0] == (byte)'0')
        {
            return false;
        }

        foreach (byte digit in number)
        {
            if (digit is < (byte)'0' or > (byte)'9' || value > (long.MaxValue - (digit - '0')) / 10)
            {
                return false; // a fraction, an exponent, or more than a long holds
            }

            value = (value * 10) + (digit - '0');
        }

        return true;
    }

    /// <summary>A number as RFC 8259 writes it: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?.</summary>
    private void SkipNumber()
    {
        int start = _position;
        if (Current == (byte)'-')
        {
            _position++;
        }

        if (Current == (byte)'0')
        {
            _position++;
        }
        else if (!Digits())
        {
            throw Invalid($"a value expected {Where(start)}");
        }

        if (Current == (byte)'.')
        {
            _position++;
            Expect(Digits(), $"its header is not valid JSON (a number without digits after its point {Where(start)})");
        }

        if (Current is (byte)'e' or (byte)'E')
        {
            _position++;
            if (Current is (byte)'+' or (byte)'-')
            {
                _position++;
            }

            Expect(Digits(), $"its header is not valid JSON (a number without digits in its exponent {Where(start)})");
        }
    }

    private bool Digits()
    {
        int start = _position;
        while (Current is >= (byte)'0' and <= (byte)'9')
        {
            _position++;
        }

        return _position > start;
    }

    private void Literal(string literal)
    {
        SkipWhitespace();
        for (int i = 0; i < literal.Length; i++)
        {
            if (_position + i >= _json.Length || _json[_position + i] != (byte)literal[i])
            {
                throw Invalid($"a value expected {Where()}");
            }
        }

        _position += literal.Length;
    }

    private char ReadUnicodeEscape()
    {
        if (_position + 4 > _json.Length)
        {
            throw Invalid("a string is not closed");
        }

        int code = 0;
        for (int i = 0; i < 4; i++)
        {
            byte h = _json[_position++];
            int digit = h switch
            {
                >= (byte)'0' and <= (byte)'9' => h - '0',
                >= (byte)'a' and <= (byte)'f' => h - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => h - 'A' + 10,
                _ => throw Invalid($"a \\u escape holds '{(char)h}' {Where()}"),
            };
            code = (code * 16) + digit;
        }

        return (char)code;
    }

    private void AppendUtf8(StringBuilder text, int start, int end)
    {
        if (end == start)
        {
            return;
        }

        try
        {
            text.Append(StrictUtf8.GetString(_json.Slice(start, end - start).ToArray()));
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidModelException(ModelProblem.Corrupted, $"{_subject} is corrupted: its header is not valid UTF-8 JSON (a string holds bytes that are not UTF-8 {Where(start)}).");
        }
    }

    private readonly byte Current => _position < _json.Length ? _json[_position] : (byte)0;

    private void SkipWhitespace() => _position = SkipWhitespaceAt(_position);

    private readonly int SkipWhitespaceAt(int position)
    {
        while (position < _json.Length && _json[position] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            position++;
        }

        return position;
    }

    private readonly string Where() => Where(_position);

    private readonly string Where(int position)
        => position >= _json.Length ? "at its end" : $"at byte {position.ToString(CultureInfo.InvariantCulture)} of the header";

    private readonly InvalidModelException Invalid(string problem)
        => new(ModelProblem.Corrupted, $"{_subject} is corrupted: its header is not valid JSON ({problem}).");
}
