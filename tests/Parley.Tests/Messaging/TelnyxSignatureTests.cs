using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Parley.Messaging.Telnyx;
using Xunit;

namespace Parley.Tests.Messaging;

public sealed class TelnyxSignatureTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 3, 17, 42, 10, TimeSpan.Zero);
    private static readonly byte[] PrivateKey = Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray();
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"data":{"event_type":"message.received","id":"e1"}}""");

    private readonly TelnyxSignature _signature = new(TelnyxSigning.PublicKeyFor(PrivateKey), new FixedTime(Now));

    private static long NowUnix => Now.ToUnixTimeSeconds();

    private static string Ts(long unix) => unix.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void Signature_over_timestamp_and_exact_body_is_valid()
    {
        var signature = TelnyxSigning.Sign(PrivateKey, NowUnix, Body);

        Assert.Equal(SignatureCheck.Valid, _signature.Verify(signature, Ts(NowUnix), Body));
    }

    [Fact]
    public void Body_changed_by_one_byte_is_invalid()
    {
        var signature = TelnyxSigning.Sign(PrivateKey, NowUnix, Body);
        var forged = (byte[])Body.Clone();
        forged[^3] ^= 1;

        Assert.Equal(SignatureCheck.Invalid, _signature.Verify(signature, Ts(NowUnix), forged));
    }

    [Fact]
    public void Reserialised_body_with_different_whitespace_is_invalid()
    {
        var signature = TelnyxSigning.Sign(PrivateKey, NowUnix, Body);
        var reformatted = Encoding.UTF8.GetBytes("""{ "data": {"event_type":"message.received","id":"e1"}}""");

        Assert.Equal(SignatureCheck.Invalid, _signature.Verify(signature, Ts(NowUnix), reformatted));
    }

    [Fact]
    public void Signature_with_a_flipped_bit_is_invalid()
    {
        var bytes = Convert.FromBase64String(TelnyxSigning.Sign(PrivateKey, NowUnix, Body));
        bytes[10] ^= 0x40;

        Assert.Equal(SignatureCheck.Invalid, _signature.Verify(Convert.ToBase64String(bytes), Ts(NowUnix), Body));
    }

    [Fact]
    public void Signature_for_another_timestamp_is_invalid()
    {
        var signature = TelnyxSigning.Sign(PrivateKey, NowUnix - 1, Body);

        Assert.Equal(SignatureCheck.Invalid, _signature.Verify(signature, Ts(NowUnix), Body));
    }

    [Fact]
    public void Signature_from_another_key_is_invalid()
    {
        var otherKey = Enumerable.Range(1, 32).Select(i => (byte)(255 - i)).ToArray();
        var signature = TelnyxSigning.Sign(otherKey, NowUnix, Body);

        Assert.Equal(SignatureCheck.Invalid, _signature.Verify(signature, Ts(NowUnix), Body));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    [InlineData(-86_400)]
    [InlineData(86_400 * 365)]
    public void Timestamp_outside_five_minutes_is_stale_even_when_correctly_signed(long offsetSeconds)
    {
        var at = NowUnix + offsetSeconds;
        var signature = TelnyxSigning.Sign(PrivateKey, at, Body);

        Assert.Equal(SignatureCheck.Stale, _signature.Verify(signature, Ts(at), Body));
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    public void Timestamp_at_the_edge_of_tolerance_is_accepted(long offsetSeconds)
    {
        var at = NowUnix + offsetSeconds;
        var signature = TelnyxSigning.Sign(PrivateKey, at, Body);

        Assert.Equal(SignatureCheck.Valid, _signature.Verify(signature, Ts(at), Body));
    }

    [Fact]
    public void Tolerance_can_be_narrowed()
    {
        var strict = new TelnyxSignature(TelnyxSigning.PublicKeyFor(PrivateKey), new FixedTime(Now), TimeSpan.FromSeconds(30));
        var at = NowUnix - 31;

        Assert.Equal(SignatureCheck.Stale, strict.Verify(TelnyxSigning.Sign(PrivateKey, at, Body), Ts(at), Body));
    }

    [Theory]
    [InlineData(null, "1748972530")]
    [InlineData("", "1748972530")]
    [InlineData("   ", "1748972530")]
    [InlineData("c2lnbmF0dXJl", null)]
    [InlineData("c2lnbmF0dXJl", "")]
    [InlineData(null, null)]
    public void Missing_headers_are_reported_as_missing(string? signature, string? timestamp)
    {
        Assert.Equal(SignatureCheck.Missing, _signature.Verify(signature, timestamp, Body));
    }

    [Theory]
    [InlineData("not base64 at all!!", "NOW")]
    [InlineData("AAAA", "NOW")]
    [InlineData("====", "NOW")]
    [InlineData("SIG", "-1748972530")]
    [InlineData("SIG", "+1748972530")]
    [InlineData("SIG", "1748972530.5")]
    [InlineData("SIG", "1e9")]
    [InlineData("SIG", "99999999999999999999999")]
    [InlineData("SIG", "tomorrow")]
    [InlineData("SIG", "0x1234")]
    public void Garbage_headers_are_malformed(string signature, string timestamp)
    {
        var now = Ts(NowUnix);
        var real = TelnyxSigning.Sign(PrivateKey, NowUnix, Body);

        var result = _signature.Verify(signature == "SIG" ? real : signature, timestamp == "NOW" ? now : timestamp, Body);

        Assert.Equal(SignatureCheck.Malformed, result);
    }

    [Fact]
    public void Signature_of_wrong_length_is_malformed()
    {
        var tooLong = Convert.ToBase64String(new byte[65]);
        var tooShort = Convert.ToBase64String(new byte[63]);

        Assert.Equal(SignatureCheck.Malformed, _signature.Verify(tooLong, Ts(NowUnix), Body));
        Assert.Equal(SignatureCheck.Malformed, _signature.Verify(tooShort, Ts(NowUnix), Body));
    }

    [Fact]
    public void All_zero_and_all_ones_signatures_are_invalid_not_exceptions()
    {
        Assert.Equal(SignatureCheck.Invalid, _signature.Verify(Convert.ToBase64String(new byte[64]), Ts(NowUnix), Body));
        Assert.Equal(SignatureCheck.Invalid, _signature.Verify(Convert.ToBase64String(Enumerable.Repeat((byte)0xFF, 64).ToArray()), Ts(NowUnix), Body));
    }

    [Fact]
    public void Empty_body_can_be_signed_and_verified()
    {
        var signature = TelnyxSigning.Sign(PrivateKey, NowUnix, []);

        Assert.Equal(SignatureCheck.Valid, _signature.Verify(signature, Ts(NowUnix), []));
    }

    [Fact]
    public void Public_key_of_wrong_length_is_refused_at_construction()
    {
        Assert.Throws<ArgumentException>(() => new TelnyxSignature(new byte[31], TimeProvider.System));
    }

    [Fact]
    public void Random_headers_and_bodies_never_throw()
    {
        var headers = Gen.OneOf(
            ArbMap.Default.GeneratorFor<string>(),
            ArbMap.Default.GeneratorFor<byte[]>().Select(b => Convert.ToBase64String(b)),
            Gen.Choose(0, int.MaxValue).Select(i => i.ToString(CultureInfo.InvariantCulture)));
        var inputs = (
            from signature in headers
            from timestamp in headers
            from body in ArbMap.Default.GeneratorFor<byte[]>()
            select (signature, timestamp, body)).ToArbitrary();

        Prop.ForAll(inputs, t =>
        {
            var (signature, timestamp, body) = t;
            var result = _signature.Verify(signature, timestamp, body ?? []);
            return result != SignatureCheck.Valid;
        }).QuickCheckThrowOnFailure();
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
