using Grantex.Core.Audit;

namespace Grantex.Core.Tests.Audit;

public class ChainWalkerTests
{
    [Fact]
    public void an_intact_chain_is_valid_and_every_entry_is_counted()
    {
        var chain = AuditChains.Build(5);

        var result = Walk(chain);

        Assert.True(result.Valid);
        Assert.Equal(5, result.CheckedEntries);
        Assert.Null(result.FirstBrokenAt);
        Assert.Null(result.Reason);
        Assert.Equal(chain[^1].Hash, result.HeadHash);
    }

    [Fact]
    public void an_empty_chain_is_valid()
    {
        var result = Walk([]);

        Assert.True(result.Valid);
        Assert.Equal(0, result.CheckedEntries);
    }

    [Fact]
    public void a_changed_entry_is_named_with_reason_content()
    {
        var chain = AuditChains.Build(5);
        chain[2] = AuditChains.Copy(chain[2], action: "grant.created");

        var result = Walk(chain);

        Assert.False(result.Valid);
        Assert.Equal("content", result.Reason);
        Assert.Equal(chain[2].Id, result.FirstBrokenAt);
        Assert.Equal(2, result.CheckedEntries);
    }

    [Fact]
    public void changed_metadata_is_detected_even_when_it_is_only_reformatted()
    {
        var chain = AuditChains.Build(3);
        chain[1] = AuditChains.Copy(chain[1], metadata: "{ \"n\": 1 }");

        var result = Walk(chain);

        Assert.Equal("content", result.Reason);
        Assert.Equal(chain[1].Id, result.FirstBrokenAt);
    }

    [Fact]
    public void a_deleted_middle_entry_is_reported_as_missing_at_the_entry_after_the_gap()
    {
        var chain = AuditChains.Build(5);
        var after = chain[3];
        chain.RemoveAt(2);

        var result = Walk(chain);

        Assert.False(result.Valid);
        Assert.Equal("missing", result.Reason);
        Assert.Equal(after.Id, result.FirstBrokenAt);
        Assert.Equal(2, result.CheckedEntries);
    }

    [Fact]
    public void a_broken_previous_hash_link_is_reported_as_link_even_when_the_entry_hash_was_recomputed()
    {
        var chain = AuditChains.Build(4);
        chain[2] = AuditChains.Rehash(AuditChains.Copy(chain[2], prevHash: new string('0', 64)));

        var result = Walk(chain);

        Assert.False(result.Valid);
        Assert.Equal("link", result.Reason);
        Assert.Equal(chain[2].Id, result.FirstBrokenAt);
    }

    [Fact]
    public void a_reordered_pair_of_entries_is_detected()
    {
        var chain = AuditChains.Build(5);
        var (second, third) = (chain[1], chain[2]);

        // Swap their chain positions (the position is not hashed), then walk in position order as the store does.
        chain[1] = AuditChains.Copy(third, chainIndex: second.ChainIndex);
        chain[2] = AuditChains.Copy(second, chainIndex: third.ChainIndex);
        var result = Walk(chain);

        Assert.False(result.Valid);
        Assert.Equal("link", result.Reason);
        Assert.Equal(third.Id, result.FirstBrokenAt);
    }

    [Fact]
    public void the_first_entry_of_a_whole_chain_must_not_have_a_previous_hash()
    {
        var chain = AuditChains.Build(3);
        chain[0] = AuditChains.Rehash(AuditChains.Copy(chain[0], prevHash: new string('a', 64)));

        var result = Walk(chain);

        Assert.Equal("link", result.Reason);
        Assert.Equal(chain[0].Id, result.FirstBrokenAt);
    }

    [Fact]
    public void a_window_that_starts_mid_chain_does_not_link_check_its_first_entry()
    {
        var chain = AuditChains.Build(6).Skip(2).ToList();

        var result = Walk(chain, linkFirst: false);

        Assert.True(result.Valid);
        Assert.Equal(4, result.CheckedEntries);
    }

    [Fact]
    public void entries_after_the_first_break_are_not_checked()
    {
        var chain = AuditChains.Build(4);
        chain[1] = AuditChains.Copy(chain[1], status: "failure");
        var walker = new ChainWalker();

        var fed = chain.Select(e => walker.Feed(e)).ToList();

        Assert.Equal([true, false, false, false], fed);
        Assert.Equal(chain[1].Id, walker.Result().FirstBrokenAt);
    }

    private static ChainVerification Walk(IEnumerable<AuditEntry> entries, bool linkFirst = true)
    {
        var walker = new ChainWalker(linkFirst);
        foreach (var entry in entries)
        {
            walker.Feed(entry);
        }

        return walker.Result();
    }
}
