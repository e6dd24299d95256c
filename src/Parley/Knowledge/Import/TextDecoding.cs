using System.Text;

namespace Parley.Knowledge.Import;

/// <summary>Bytes of a text format to a string: UTF-8 (or a UTF-16 byte-order mark) and, failing that, Windows-1252,
/// the other encoding old spreadsheets and pages are saved in. Binary content is refused, not decoded into noise.</summary>
internal static class TextDecoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static TextDecoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static string Decode(ReadOnlySpan<byte> bytes, string fileName)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Encoding.Unicode.GetString(bytes[2..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.BigEndianUnicode.GetString(bytes[2..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        if (FileSignature.Describe(bytes) is { } actual)
        {
            throw new KnowledgeImportException($"\"{fileName}\" is {actual}, not text. Upload it with its own extension, or save it as text.");
        }

        if (LooksBinary(bytes))
        {
            throw new KnowledgeImportException($"\"{fileName}\" holds binary data, not text.");
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding(1252).GetString(bytes);
        }
    }

    /// <summary>Text has no NUL bytes and next to no control characters other than tab, line breaks and form feed.</summary>
    private static bool LooksBinary(ReadOnlySpan<byte> bytes)
    {
        var sample = bytes[..Math.Min(bytes.Length, 64 * 1024)];
        if (sample.Contains((byte)0))
        {
            return true;
        }

        var controls = 0;
        foreach (var b in sample)
        {
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0C or 0x1A))
            {
                controls++;
            }
        }

        return controls > Math.Max(2, sample.Length / 100);
    }
}

/// <summary>Recognises the binary formats people most often upload under the wrong name.</summary>
internal static class FileSignature
{
    public static bool IsPdf(ReadOnlySpan<byte> bytes) => bytes[..Math.Min(bytes.Length, 1024)].IndexOf("%PDF-"u8) >= 0;

    public static bool IsZip(ReadOnlySpan<byte> bytes) => bytes.StartsWith("PK\x03\x04"u8);

    public static string? Describe(ReadOnlySpan<byte> bytes) =>
        IsPdf(bytes) ? "a PDF"
        : IsZip(bytes) ? "a zip archive (a Word or Excel file?)"
        : bytes.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0]) ? "an old Office document (.doc or .xls)"
        : bytes.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']) ? "a PNG image"
        : bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "a JPEG image"
        : bytes.StartsWith("GIF8"u8) ? "a GIF image"
        : null;
}
