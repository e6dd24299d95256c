using System.Text;
using Parley.Knowledge.Import;
using static Parley.Tests.Knowledge.Import.TestDocuments;

namespace Parley.Tests.Knowledge.Import;

public sealed class CsvReaderTests
{
    [Fact]
    public void Each_row_of_a_property_list_is_an_entry_titled_by_its_address()
    {
        const string csv = """"
            MLS #,Address,Price,Beds,Baths,Notes
            H4189,"12 Elm St, Hamilton","$349,900",3,1,"Needs a roof; sold ""as-is"""
            H4190,48 Oak Ave,$415000,4,2,

            H4191,7 Birch Crescent,,2,,Tenant in place until June
            """";

        var document = Read("listings.csv", csv);

        Assert.Equal("listings", document.Title);
        Assert.Collection(document.Passages,
            p => Assert.Equal(("12 Elm St, Hamilton", "MLS #: H4189\n\nPrice: $349,900\n\nBeds: 3\n\nBaths: 1\n\nNotes: Needs a roof; sold \"as-is\""), (p.Title, p.Text)),
            p => Assert.Equal(("48 Oak Ave", "MLS #: H4190\n\nPrice: $415000\n\nBeds: 4\n\nBaths: 2"), (p.Title, p.Text)),
            p => Assert.Equal(("7 Birch Crescent", "MLS #: H4191\n\nBeds: 2\n\nNotes: Tenant in place until June"), (p.Title, p.Text)));
    }

    [Theory]
    [InlineData("question,answer\nDo you buy mobile homes?,Yes if the land is included.", "Do you buy mobile homes?", "answer: Yes if the land is included.")]
    [InlineData("Property Name;City;Rent\nThe Maple;Hamilton;1800", "The Maple", "City: Hamilton\n\nRent: 1800")]
    [InlineData("sku\tservice\tprice\nA1\tCash offer\tfree", "Cash offer", "sku: A1\n\nprice: free")]
    [InlineData("city,zip,average days to close\nGrimsby,L3M,9", "Grimsby", "zip: L3M\n\naverage days to close: 9")]
    [InlineData("street_address|sqft\n5 Pine Rd|1200", "5 Pine Rd", "sqft: 1200")]
    public void The_title_comes_from_a_name_like_column_or_the_first_and_the_rest_read_column_value(string csv, string title, string text)
    {
        var passage = Assert.Single(Read("table.csv", csv).Passages);

        Assert.Equal((title, text), (passage.Title, passage.Text));
    }

    [Fact]
    public void Unicode_and_windows_1252_csv_files_are_read()
    {
        Assert.Equal("Ciudad: Málaga", Assert.Single(Read("es.csv", "Nombre,Ciudad\nCasa Núñez,Málaga").Passages).Text);

        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var legacy = Encoding.GetEncoding(1252).GetBytes("name,notes\nCafé building,“as-is” sale");
        var passage = Assert.Single(Read("old.csv", legacy).Passages);
        Assert.Equal(("Café building", "notes: “as-is” sale"), (passage.Title, passage.Text));
    }

    [Fact]
    public void A_row_with_an_empty_title_cell_is_named_by_its_row_number()
    {
        var passage = Assert.Single(Read("t.csv", "Address,Price\n,$100").Passages);

        Assert.Equal("Row 2", passage.Title);
    }

    [Fact]
    public void A_csv_with_a_header_and_no_rows_has_no_text()
    {
        Assert.Contains("has no text to read", Refused("empty.csv", "Address,Price,Beds\n").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_csv_file_that_holds_binary_data_is_refused()
    {
        var bytes = new byte[2000];
        new Random(3).NextBytes(bytes);

        Assert.Contains("binary data", Refused("export.csv", bytes).Message, StringComparison.Ordinal);
    }
}
