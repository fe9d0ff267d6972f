"""What every importer shares: inputs, rejections, JSON decoding, timestamps."""
