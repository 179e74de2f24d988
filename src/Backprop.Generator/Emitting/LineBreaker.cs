using System.Collections.Generic;

namespace Backprop.Generator.Emitting;

/// <summary>
/// Chooses where a line of emitted C# that is too long breaks, the way a careful person would break it by hand:
/// at the outermost place that fits; at one depth, after a comma rather than before a <c>+</c> or <c>−</c>, before
/// those rather than a <c>*</c>, before any of them rather than after the <c>(</c> of an argument list, and after
/// the <c>=</c> of an assignment only when none of those fits. Sums fill each line; once an argument or parameter
/// list has been broken at a comma, every item of that list gets a line of its own. Nothing inside a string or
/// character literal is a break, and a type argument list only when nothing else fits.
/// </summary>
internal static class LineBreaker
{
    /// <summary>The kinds of break, loosest-binding first: at one depth, a break of an earlier kind is taken.</summary>
    private enum Kind
    {
        /// <summary>After the comma between two items of a list: the items' own operators bind tighter.</summary>
        Comma,

        /// <summary>Before <c> + </c> or <c> - </c>: the continuation starts with the operator.</summary>
        Additive,

        /// <summary>Before <c> * </c> or <c> / </c>.</summary>
        Multiplicative,

        /// <summary>After the <c>(</c> of a call's or a declaration's parameter list.</summary>
        OpenList,

        /// <summary>After the <c>=</c> of a declaration or assignment (or an expression body's <c>=&gt;</c>), when its right-hand side's own breaks do not fit.</summary>
        Assignment,
    }

    private readonly struct Candidate(int position, int depth, Kind kind, int list)
    {
        /// <summary>Where the next line starts (leading spaces are trimmed).</summary>
        public int Position { get; } = position;

        /// <summary>How many brackets enclose the break: the outermost break that fits is taken.</summary>
        public int Depth { get; } = depth;

        public Kind Kind { get; } = kind;

        /// <summary>The bracket pair the break is directly inside, so a chopped list's commas can be found.</summary>
        public int List { get; } = list;
    }

    /// <summary>How much deeper than its brackets a break after an assignment's <c>=</c> counts: taken when nothing after it fits.</summary>
    private const int AssignmentDepth = 500;

    /// <summary>How much deeper than its brackets a break between type arguments counts: it is taken only when nothing else fits.</summary>
    private const int TypeArgumentDepth = 1_000;

    /// <summary>
    /// The positions at which <paramref name="line"/> breaks so that the first piece fits in
    /// <paramref name="firstRoom"/> characters and each later one in <paramref name="continuationRoom"/>; no
    /// positions when it fits. A piece that no break can shorten is left long.
    /// </summary>
    public static int[] Breaks(string line, int firstRoom, int continuationRoom)
    {
        if (line.Length <= firstRoom)
        {
            return [];
        }

        List<Candidate> candidates = FindCandidates(line);
        var breaks = new List<int>();
        int start = 0;
        int room = firstRoom;
        int choppedList = -1;
        while (true)
        {
            if (choppedList >= 0 && NextComma(candidates, start, choppedList) is { } comma)
            {
                breaks.Add(comma.Position);
                start = comma.Position;
                room = continuationRoom;
                continue;
            }

            choppedList = -1;
            if (line.Length - start <= room || Choose(line, candidates, start, room) is not { } chosen)
            {
                return breaks.ToArray();
            }

            if (chosen.Kind == Kind.Comma && chosen.List > 0)
            {
                // A broken argument or parameter list gives each item a line: break at its first comma, then chop.
                chosen = NextComma(candidates, start, chosen.List) ?? chosen;
                choppedList = chosen.List;
            }

            breaks.Add(chosen.Position);
            start = chosen.Position;
            room = continuationRoom;
        }
    }

    /// <summary>The outermost, then loosest-binding, then last break whose piece fits; else the first break at all.</summary>
    private static Candidate? Choose(string line, List<Candidate> candidates, int start, int room)
    {
        Candidate? best = null;
        Candidate? first = null;
        foreach (Candidate candidate in candidates)
        {
            if (candidate.Position <= start)
            {
                continue;
            }

            first ??= candidate;
            if (line.Substring(start, candidate.Position - start).Trim().Length > room)
            {
                continue;
            }

            // Later candidates replace earlier ones of the same depth and rank: each line is filled.
            if (best is not { } current
                || candidate.Depth < current.Depth
                || (candidate.Depth == current.Depth && candidate.Kind <= current.Kind))
            {
                best = candidate;
            }
        }

        return best ?? first;
    }

    private static Candidate? NextComma(List<Candidate> candidates, int start, int list)
    {
        foreach (Candidate candidate in candidates)
        {
            if (candidate.Position > start && candidate.Kind == Kind.Comma && candidate.List == list)
            {
                return candidate;
            }
        }

        return null;
    }

    private static List<Candidate> FindCandidates(string line)
    {
        var candidates = new List<Candidate>();
        var open = new Stack<(char Bracket, int List)>();
        int lists = 0;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            switch (c)
            {
                case '"':
                case '\'':
                    i = EndOfLiteral(line, i);
                    break;
                case '(':
                    bool isList = i > 0 && IsNameEnd(line[i - 1]) && i + 1 < line.Length && line[i + 1] != ')';
                    if (isList && OutsideTypeArguments(open))
                    {
                        candidates.Add(new Candidate(i + 1, open.Count, Kind.OpenList, ListOf(open)));
                    }

                    open.Push(('(', isList ? ++lists : -1));
                    break;
                case '[':
                    open.Push(('[', -1));
                    break;
                case '<' when i > 0 && IsNameEnd(line[i - 1]):
                    open.Push(('<', -1)); // a type argument list, not "less than" (which the emitter spaces)
                    break;
                case '>' when open.Count > 0 && open.Peek().Bracket == '<':
                    open.Pop();
                    break;
                case ')':
                case ']':
                    char opener = c == ')' ? '(' : '[';
                    while (open.Count > 0 && open.Pop().Bracket != opener)
                    {
                    }

                    break;
                case ',' when i + 1 < line.Length && line[i + 1] == ' ':
                    // Inside a type argument list only as a last resort, when even a callee's name does not fit.
                    int depth = OutsideTypeArguments(open) ? open.Count : open.Count + TypeArgumentDepth;
                    candidates.Add(new Candidate(i + 1, depth, Kind.Comma, ListOf(open)));
                    break;
                case ' ' when i + 3 < line.Length && line[i + 1] == '=' && line[i + 2] == '>' && line[i + 3] == ' ':
                    // An expression body's =>, like an assignment's =.
                    candidates.Add(new Candidate(i + 4, open.Count + AssignmentDepth, Kind.Assignment, ListOf(open)));
                    break;
                case ' ' when i + 2 < line.Length && line[i + 2] == ' ' && OutsideTypeArguments(open):
                    switch (line[i + 1])
                    {
                        case '+' or '-':
                            candidates.Add(new Candidate(i + 1, open.Count, Kind.Additive, ListOf(open)));
                            break;
                        case '*' or '/':
                            candidates.Add(new Candidate(i + 1, open.Count, Kind.Multiplicative, ListOf(open)));
                            break;
                        case '=':
                            // Only when no break of the right-hand side fits: counted deeper than any of them.
                            candidates.Add(new Candidate(i + 3, open.Count + AssignmentDepth, Kind.Assignment, ListOf(open)));
                            break;
                    }

                    break;
            }
        }

        return candidates;
    }

    private static int ListOf(Stack<(char Bracket, int List)> open) => open.Count == 0 ? 0 : open.Peek().List;

    private static bool OutsideTypeArguments(Stack<(char Bracket, int List)> open) => open.Count == 0 || open.Peek().Bracket != '<';

    private static bool IsNameEnd(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '>';

    /// <summary>The index of the quote that closes the literal opened at <paramref name="quote"/>.</summary>
    private static int EndOfLiteral(string line, int quote)
    {
        for (int i = quote + 1; i < line.Length; i++)
        {
            if (line[i] == '\\')
            {
                i++;
            }
            else if (line[i] == line[quote])
            {
                return i;
            }
        }

        return line.Length;
    }
}
