using Microsoft.CodeAnalysis.Text;

namespace Backprop.Generator.Tests.Infrastructure;

/// <summary>The markup helper decides where every diagnostic test expects its location, so it is tested too.</summary>
public sealed class SourceMarkupTests
{
    [Fact]
    public void Unnamed_span_is_removed_and_located()
    {
        MarkedSource marked = SourceMarkup.Parse("[Input([|0|])] class C;");

        Assert.Equal("[Input(0)] class C;", marked.Source);
        Assert.Equal(new TextSpan(7, 1), marked.Span);
        Assert.Equal("0", marked.TextOf(marked.Span));
    }

    [Fact]
    public void Marker_right_after_an_attribute_bracket_is_recognised()
    {
        MarkedSource marked = SourceMarkup.Parse("[[|Dense(1, Activation.Sigmoid)|]]");

        Assert.Equal("[Dense(1, Activation.Sigmoid)]", marked.Source);
        Assert.Equal("Dense(1, Activation.Sigmoid)", marked.TextOf(marked.Span));
    }

    [Fact]
    public void Named_and_nested_spans_are_positions_in_the_stripped_text()
    {
        MarkedSource marked = SourceMarkup.Parse("a{|outer:b[|c|]d|}e{|other:f|}");

        Assert.Equal("abcdef", marked.Source);
        Assert.Equal("bcd", marked.TextOf(marked.NamedSpans["outer"]));
        Assert.Equal("c", marked.TextOf(marked.Span));
        Assert.Equal("f", marked.TextOf(marked.NamedSpans["other"]));
    }

    [Fact]
    public void Source_without_markers_is_unchanged()
    {
        MarkedSource marked = SourceMarkup.Parse("x | y [ z ] { w }");

        Assert.Equal("x | y [ z ] { w }", marked.Source);
        Assert.Empty(marked.Spans);
        Assert.Empty(marked.NamedSpans);
    }

    [Theory]
    [InlineData("[|a")]
    [InlineData("a|]")]
    [InlineData("{|n:a|]")]
    [InlineData("{|n:a|}{|n:b|}")]
    [InlineData("{|noname|}")]
    public void Malformed_markup_fails(string markup)
        => Assert.Throws<FormatException>(() => SourceMarkup.Parse(markup));

    [Fact]
    public void Span_requires_exactly_one_unnamed_span()
    {
        MarkedSource marked = SourceMarkup.Parse("[|a|][|b|]");

        Assert.Throws<InvalidOperationException>(() => marked.Span);
    }
}
